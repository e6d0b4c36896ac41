package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// firstQuestion times, from the server's start at t0, the first GET of an
// open question with its crowd: what a forecaster opening a link waits for
// after a restart. The ID comes from the store in this process, so nothing
// else (the tournament view) warms the crowd first.
func (b *bench) firstQuestion(ctx context.Context, t0 time.Time) error {
	tid, _, err := b.server.st.TournamentVersion(ctx, b.data.slug)
	if err != nil {
		return err
	}
	qs, err := b.server.st.ListQuestions(ctx, tid)
	if err != nil {
		return err
	}
	for _, q := range qs {
		if q.Resolution != nil || q.Annulled {
			continue
		}
		body, err := b.c.do(ctx, b.c.long, request{method: "GET", path: "/api/v1/questions/" + strconv.FormatInt(q.ID, 10), want: 200}, true)
		if err != nil {
			return fmt.Errorf("first question: %w", err)
		}
		b.res.FirstQuestionMs = ptr(ms(time.Since(t0)))
		var v struct {
			Crowd *struct {
				Forecasters int `json:"forecasters"`
			} `json:"crowd"`
		}
		if err := json.Unmarshal(body, &v); err != nil || v.Crowd == nil || v.Crowd.Forecasters == 0 {
			return fmt.Errorf("first question %d came without its crowd (%v): the measure would mean nothing", q.ID, err)
		}
		return nil
	}
	return fmt.Errorf("tournament %s has no open question", b.data.slug)
}

// rawRead times reading every scored question's forecasts through the
// store's scoring reader, one question after another on one connection:
// the floor under a cold leaderboard, measured on the same rows in the
// same run.
func (b *bench) rawRead(ctx context.Context) error {
	st := b.server.st
	tid, _, err := st.TournamentVersion(ctx, b.data.slug)
	if err != nil {
		return err
	}
	qs, err := st.ListQuestions(ctx, tid)
	if err != nil {
		return err
	}
	t0, rows := time.Now(), 0
	for i := range qs {
		if !qs[i].Scored() {
			continue
		}
		fs, err := st.ScoringForecasts(ctx, qs[i].ID)
		if err != nil {
			return err
		}
		rows += len(fs)
	}
	b.res.RawRead = &RawRead{Ms: ms(time.Since(t0)), Rows: rows}
	return nil
}
