// Package webhook owns outgoing webhooks: events, payloads, bilingual texts,
// formats, detectors, worker (sending through the
// guarded client of api/safehttp). It never imports api nor fiber.
//
// It builds on store (store.Event is the event as data; the store keeps the
// webhooks, the deliveries outbox and the lease); store never imports it,
// and cmd/signpost wires the two together with New.
//
// # The outbox stays transactional
//
// A change that fires an event (a resolution, an annulment, a reopened
// branch, a noticed time or crowd event) writes its deliveries in the same
// database transaction as the change: the store's transactional outbox.
// The store cannot import this package, so New injects Render into the
// store (store.EventOptions.Render) and the store calls it inside that
// transaction, storing the finished body and chat text in each delivery.
//
// Rendering at delivery time instead would need the event's data as it
// was (the question's state and crowd at the event, the top as noticed)
// kept in the outbox anyway, a schema change, and a failure to render
// would surface after the change had committed. Rendered in the
// transaction, a change and its messages commit or roll back together,
// every retry sends the same body under the same X-Signpost-Delivery, and
// the worker only sends: at least once, since a delivery is marked
// delivered only after the receiver took it (a crash in between sends it
// again).
package webhook
