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

// metricsCost starts a second in-process server on the same database with
// metrics on and posts forecasts to each in turn, so both see the same
// data, machine and moment; only one is loaded at a time.
func (b *bench) metricsCost(ctx context.Context) (err error) {
	b.logf("metrics cost: post-forecast alternately without and with metrics, %d rounds each", metricsRounds)
	on, err := startInproc(ctx, b.dbPath, b.secret, true)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := on.close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("stopping the metrics server: %w", cerr))
		}
	}()
	onClient := newClient("http://"+on.addr, b.cfg.Concurrency, b.cfg.Timeout)
	defer onClient.close()
	if err := onClient.waitHealthy(ctx, 30*time.Second); err != nil {
		return err
	}
	off := b.c
	defer func() { b.c = off }()
	var offRPS, onRPS, offCPU, onCPU []float64
	for range metricsRounds {
		for _, side := range []struct {
			c        *client
			rps, cpu *[]float64
		}{{off, &offRPS, &offCPU}, {onClient, &onRPS, &onCPU}} {
			b.c = side.c
			st := b.measure(ctx, b.postScenario("post-forecast", b.cfg.Concurrency, nil))
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if st.Errors > 0 {
				return fmt.Errorf("metrics cost: %d errors, first: %s", st.Errors, st.FirstError)
			}
			*side.rps, *side.cpu = append(*side.rps, st.RPS), append(*side.cpu, st.CPUus)
		}
	}
	mc := &MetricsCost{Rounds: metricsRounds, OffRPS: median(offRPS), OnRPS: median(onRPS),
		OffCPUus: median(offCPU), OnCPUus: median(onCPU)}
	if mc.OffRPS > 0 {
		mc.RPSRatio = mc.OnRPS / mc.OffRPS
	}
	if mc.OffCPUus > 0 {
		mc.CPURatio = mc.OnCPUus / mc.OffCPUus
	}
	b.res.MetricsCost = mc
	return nil
}
