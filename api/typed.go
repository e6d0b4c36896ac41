package api

import "github.com/gofiber/fiber/v2"

// typed adapts a handler returning its answer as a value to fiber. A
// handler may set the status first (201, 204); 204 sends no body.
func typed[Out any](h func(*fiber.Ctx) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		out, err := h(c)
		if err != nil {
			return err
		}
		if c.Response().StatusCode() == fiber.StatusNoContent {
			return nil
		}
		return c.JSON(out)
	}
}

// typedBody is typed for a handler that takes a JSON body.
func typedBody[In, Out any](h func(*fiber.Ctx, *In) (Out, error)) fiber.Handler {
	return typed(func(c *fiber.Ctx) (Out, error) {
		var in In
		if err := decode(c, &in); err != nil {
			var zero Out
			return zero, err
		}
		return h(c, &in)
	})
}
