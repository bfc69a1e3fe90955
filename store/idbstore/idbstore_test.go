//go:build js && wasm

package idbstore_test

import (
	"context"
	"testing"

	"github.com/issmp-study/issmp/store"
	"github.com/issmp-study/issmp/store/idbstore"
	"github.com/issmp-study/issmp/store/storetest"
)

// Runs in headless Chromium: GOOS=js GOARCH=wasm go test -exec build/bin/wasmbrowsertest ./store/idbstore
func TestIndexedDBStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, name string) store.Store {
		s, err := idbstore.Open(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
