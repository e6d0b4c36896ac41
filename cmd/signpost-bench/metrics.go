package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// MetricsCost is the forecast POST measured alternately without and with
// Prometheus metrics: medians of the rounds, and on / off ratios.
type MetricsCost struct {
	Rounds   int     `json:"rounds"`
	OffRPS   float64 `json:"off_rps"`
	OnRPS    float64 `json:"on_rps"`
	OffCPUus float64 `json:"off_cpu_us_per_request"`
	OnCPUus  float64 `json:"on_cpu_us_per_request"`
	// RPSRatio is on / off throughput (1 = no cost); CPURatio is on / off
	// CPU per request (1 = no cost).
	RPSRatio float64 `json:"rps_ratio"`
	CPURatio float64 `json:"cpu_ratio"`
}

const metricsRounds = 5

// metricsCost starts two more in-process servers on the same database,
// alike but for metrics, and posts forecasts to each in turn, so both see
// the same data, machine and moment from the same fresh start; only one is
// loaded at a time.
func (b *bench) metricsCost(ctx context.Context) (err error) {
	b.logf("metrics cost: post-forecast alternately without and with metrics, %d rounds each", metricsRounds)
	var clients [2]*client
	for i, metrics := range []bool{false, true} {
		srv, err := startInproc(ctx, b.dbPath, b.secret, metrics)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := srv.close(); cerr != nil {
				err = errors.Join(err, fmt.Errorf("stopping a metrics-cost server: %w", cerr))
			}
		}()
		c := newClient("http://"+srv.addr, b.cfg.Concurrency, b.cfg.Timeout)
		defer c.close()
		if err := c.waitHealthy(ctx, 30*time.Second); err != nil {
			return err
		}
		clients[i] = c
	}
	main := b.c
	defer func() { b.c = main }()
	var rps, cpu [2][]float64
	for range metricsRounds {
		for i, c := range clients {
			b.c = c
			st := b.measure(ctx, b.postScenario("post-forecast", b.cfg.Concurrency, nil))
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if st.Errors > 0 {
				return fmt.Errorf("metrics cost: %d errors, first: %s", st.Errors, st.FirstError)
			}
			rps[i], cpu[i] = append(rps[i], st.RPS), append(cpu[i], st.CPUus)
		}
	}
	mc := &MetricsCost{Rounds: metricsRounds, OffRPS: median(rps[0]), OnRPS: median(rps[1]),
		OffCPUus: median(cpu[0]), OnCPUus: median(cpu[1])}
	if mc.OffRPS > 0 {
		mc.RPSRatio = mc.OnRPS / mc.OffRPS
	}
	if mc.OffCPUus > 0 {
		mc.CPURatio = mc.OnCPUus / mc.OffCPUus
	}
	b.res.MetricsCost = mc
	return nil
}
