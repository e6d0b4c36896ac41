//go:build unix

package main

import (
	"errors"
	"os"
	"syscall"
)

// flock locks f without waiting; a lock held elsewhere is errDatabaseInUse.
func flock(f *os.File, exclusive bool) error {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errDatabaseInUse
	}
	return err
}
