// Package mail sends Signpost's e-mail: it renders messages (multipart
// text and HTML in the reader's language) into the store's outbox, builds
// the digests, and runs the worker that sends the outbox through an SMTP
// server. Requests only write the outbox, in the transaction of what
// causes a message; the worker sends it at least once, with the
// Message-ID fixed when it was written, so a message sent again after a
// crash is recognisably the same one.
package mail
