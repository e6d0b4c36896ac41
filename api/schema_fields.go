package api

import (
	"signpost/api/webhook"
	"signpost/store"
)

// fieldSchema is the schema a field names with schema:"…", or nil for an
// unknown name: JSON the server passes through as it was stored
// (json.RawMessage), or a set of values kept elsewhere, which the Go type
// cannot tell. Each is typed as far as the server vouches for it; the
// seed's objects allow more properties than they list.
func fieldSchema(s *schemas, name string) map[string]any {
	switch name {
	case "forecastOrNull": // the caller's latest forecast
		return nullable(s.of(typeOf[forecastDTO](), false))
	case "auditValue": // a snapshot of what an audited action changed
		return map[string]any{"type": []string{"object", "null"}}
	case "webhookEvent":
		return map[string]any{"type": "string", "enum": webhook.Events}
	case "deliveryEvent": // a subscribed event, or a test
		return map[string]any{"type": "string", "enum": webhook.DeliveryEvents}
	case "webhookEvents":
		return map[string]any{"type": "array", "items": fieldSchema(s, "webhookEvent")}
	case "feedRow":
		return map[string]any{"description": `which record a feed reads: "last" (default), "first", or the one whose column equals a text`,
			"oneOf": []any{
				map[string]any{"type": "string", "enum": []string{"last", "first"}},
				map[string]any{"type": "object", "required": []string{"column", "equals"}, "additionalProperties": false,
					"properties": map[string]any{"column": map[string]any{"type": "string"}, "equals": map[string]any{"type": "string"}}},
			}}
	case "feedRule":
		number := map[string]any{"type": "number", "format": "double"}
		return map[string]any{"description": "from the number to an outcome: binary {op, value} (Yes when v op value holds); " +
			"ordered {bounds} (bucket i when bounds[i-1] <= v < bounds[i])",
			"oneOf": []any{
				map[string]any{"type": "object", "required": []string{"op", "value"}, "additionalProperties": false,
					"properties": map[string]any{"op": map[string]any{"type": "string", "enum": []string{">=", ">", "<=", "<"}}, "value": number}},
				map[string]any{"type": "object", "required": []string{"bounds"}, "additionalProperties": false,
					"properties": map[string]any{"bounds": map[string]any{"type": "array", "items": number}}},
			}}
	case "referenceForecast":
		return map[string]any{"type": []string{"object", "null"},
			"description": "a published, non-competing forecast shown for reference (not scored); null if none",
			"properties": map[string]any{
				"source":        s.of(typeOf[store.Text](), false),
				"note":          s.of(typeOf[store.Text](), false),
				"probabilities": map[string]any{"type": "array", "items": map[string]any{"type": "number", "format": "double"}},
			}}
	case "signals":
		slugs := map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
		return map[string]any{"type": []string{"object", "null"},
			"description": "for an indicator: which scenario options (by slug) its trigger raises and lowers; null otherwise",
			"properties": map[string]any{
				"trigger":  map[string]any{"type": "string"},
				"raises":   slugs,
				"lowers":   slugs,
				"strength": map[string]any{"type": "string"},
			}}
	case "areas":
		return map[string]any{"type": "array", "items": map[string]any{"type": "object",
			"properties": map[string]any{
				"id":          map[string]any{"type": "string"},
				"title":       s.of(typeOf[store.Text](), false),
				"description": s.of(typeOf[store.Text](), false),
			}}}
	case "tournamentSource":
		return map[string]any{"type": "object", "description": "the publication the tournament starts from",
			"properties": map[string]any{
				"title":    s.of(typeOf[store.Text](), false),
				"date":     map[string]any{"type": "string"},
				"based_on": map[string]any{"type": "string"},
			}}
	case "definitions":
		return map[string]any{"type": "object", "description": "terms the questions use, by name",
			"additionalProperties": s.of(typeOf[store.Text](), false)}
	case "tournamentExtra": // what the seed carried, in an archive
		return map[string]any{"type": "object", "properties": map[string]any{
			"areas":       fieldSchema(s, "areas"),
			"source":      fieldSchema(s, "tournamentSource"),
			"definitions": fieldSchema(s, "definitions"),
		}}
	}
	return nil
}
