// Package feeds binds indicator questions to public data: it reads one
// number from a fetched JSON or CSV document (Extract), turns it into an
// outcome (Rule), and runs the fetcher (Worker) that keeps every feed's
// snapshots and proposes resolutions from them. It never imports api nor
// fiber; cmd/signpost composes it with the store.
//
// Numbers are read strictly (ParseNumber): a cell such as "12.5%" or
// "1,234" is an error that the feed shows to admins, never a guess, and
// nothing is proposed from it.
package feeds
