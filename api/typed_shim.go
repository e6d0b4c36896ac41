package api

import "github.com/gofiber/fiber/v2"

// noContent is the answer of an operation that returns 204 and no body.
type noContent struct{}

// bodyOp adapts a typed operation with a JSON body to a fiber handler.
func bodyOp[In, Out any](h func(*fiber.Ctx, *In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		in := new(In)
		if err := decode(c, in); err != nil {
			return err
		}
		out, err := h(c, in)
		if err != nil {
			return err
		}
		return send(c, out)
	}
}

// op adapts a typed operation without a body to a fiber handler.
func op[Out any](h func(*fiber.Ctx) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		out, err := h(c)
		if err != nil {
			return err
		}
		return send(c, out)
	}
}

func send(c *fiber.Ctx, out any) error {
	if _, ok := out.(noContent); ok {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.JSON(out)
}
