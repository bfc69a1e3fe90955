package syncapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/syncproto"
)

// report stores a candidate's report of a problem with a question. It needs no token and keeps
// nothing of who sent it: the client's address only draws on its limit, in memory, by its hash.
func (h *Handler) report(rw http.ResponseWriter, r *http.Request) {
	w := rw.(*recorder)
	if !h.jsonBody(w, r, syncproto.MaxReportBodyBytes, "the report is larger than the limit: shorten the comment") {
		return
	}
	req, err := syncproto.DecodeReport(r.Body)
	if err != nil {
		h.refused(w, err)
		return
	}
	w.question = req.Question
	ctx, now := r.Context(), h.now()
	if ok, wait := h.reportsPerAddr.allow(w.client, now); !ok {
		minutes := int(wait/time.Minute) + 1
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
		h.fail(w, http.StatusTooManyRequests, syncproto.CodeRateLimited, "many reports came from your network in a short time: send this one again in "+strconv.Itoa(minutes)+" minutes")
		return
	}
	// Reports never expire, so the day's allowance in all bounds what the store keeps.
	expires := now.UTC().Truncate(24 * time.Hour).Add(48 * time.Hour)
	taken, err := h.store.Take(ctx, "report/all/"+now.UTC().Format(time.DateOnly), h.limits.ReportsPerDay, expires, now)
	if err != nil {
		h.reportFailed(w, err)
		return
	}
	if !taken {
		w.Header().Set("Retry-After", strconv.Itoa(int(expires.Add(-24*time.Hour).Sub(now).Seconds())+1))
		h.fail(w, http.StatusTooManyRequests, syncproto.CodeRateLimited, "the server takes only so many reports a day, and today's are used up: please send this one again tomorrow")
		return
	}
	id, err := h.reports.AddReport(ctx, syncstore.Report{
		At: now, Question: req.Question, Bank: req.Bank, Answer: req.Answer, Reason: req.Reason, Comment: req.Comment,
	})
	if err != nil {
		h.reportFailed(w, err)
		return
	}
	writeJSON(w, http.StatusOK, syncproto.ReportResponse{V: syncproto.Version, ID: id})
}

// reportFailed answers a store's failure to take a report. The log line names the question and
// the error, which holds nothing of the report's text.
func (h *Handler) reportFailed(w *recorder, err error) {
	if errors.Is(err, syncstore.ErrBusy) || errors.Is(err, context.DeadlineExceeded) {
		w.Header().Set("Retry-After", "2")
		h.fail(w, http.StatusServiceUnavailable, syncproto.CodeUnavailable, "the server is busy: send the report again in a moment")
		return
	}
	h.log.Error("report store", "question", w.question, "err", err)
	h.fail(w, http.StatusInternalServerError, syncproto.CodeInternal, "the server could not store your report: please send it again later")
}
