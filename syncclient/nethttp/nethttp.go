// Package nethttp is a syncclient.Transport over net/http, for native programs and tests (the
// browser uses fetch).
package nethttp

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/issmp-study/issmp/syncproto"
)

// Transport posts to the sync API at Base (e.g. http://127.0.0.1:8080).
type Transport struct {
	Base   string
	Client *http.Client // nil means http.DefaultClient
}

// Post implements syncclient.Transport (and reportq.Transport, with no token).
func (t *Transport) Post(ctx context.Context, path, token string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimSuffix(t.Base, "/")+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if token != "" { // a problem report (reportq) carries none
		req.Header.Set(syncproto.TokenHeader, token)
	}
	req.Header.Set("Content-Type", "application/json")
	c := t.Client
	if c == nil {
		c = http.DefaultClient
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, err
	}
	return res.StatusCode, data, nil
}
