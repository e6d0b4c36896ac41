package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"signpost/api/feeds"
	"signpost/store"
)

// feedsCmd runs the feeds sub-commands: verify.
func feedsCmd(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: signpost feeds verify [flags]")
	}
	st, _, _, err := dbCommand(ctx, "feeds verify", beside, args[1:], getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	return verifySnapshots(ctx, st.Store, stdout)
}

// verifySnapshots re-reads every stored snapshot body, checks its hash
// and value, names each one that fails and fails if any does.
func verifySnapshots(ctx context.Context, st *store.Store, stdout io.Writer) error {
	checked, bad := 0, 0
	err := st.EachSnapshot(ctx, func(sn store.Snapshot) error {
		checked++
		if err := feeds.Verify(sn); err != nil {
			bad++
			fmt.Fprintf(stdout, "snapshot %d (question %d, fetched %s): %v\n", sn.ID, sn.QuestionID,
				sn.FetchedAt.UTC().Format("2006-01-02T15:04:05Z"), err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d snapshots do not match their recorded hash or value", bad, checked)
	}
	fmt.Fprintf(stdout, "Checked %d snapshots: every body matches its hash and value.\n", checked)
	return nil
}
