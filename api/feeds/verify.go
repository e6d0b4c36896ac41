package feeds

import (
	"fmt"

	"signpost/store"
)

// Verify checks a stored snapshot against its own body: the body's
// SHA-256 must be the one recorded, and a good snapshot's value must be
// what its extraction reads from the body again. A failed fetch without a
// body has nothing to check.
func Verify(sn store.Snapshot) error {
	if sn.SHA256 == "" && len(sn.Body) == 0 && sn.Status == store.SnapshotError {
		return nil
	}
	if got := Hash(sn.Body); got != sn.SHA256 {
		return fmt.Errorf("the body's SHA-256 is %s; %s was recorded", got, sn.SHA256)
	}
	if sn.Status != store.SnapshotOK {
		return nil
	}
	v, err := Extract(sn.Extract, sn.Body)
	if err != nil {
		return fmt.Errorf("the value no longer reads from the body: %v", err)
	}
	if v != sn.Value {
		return fmt.Errorf("the body reads %s; %s was recorded", store.FormatValue(v), store.FormatValue(sn.Value))
	}
	return nil
}
