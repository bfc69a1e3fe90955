package memstore_test

import (
	"testing"

	"github.com/issmp-study/issmp/store"
	"github.com/issmp-study/issmp/store/memstore"
	"github.com/issmp-study/issmp/store/storetest"
)

func TestMemoryStoreConformance(t *testing.T) {
	db := memstore.NewDB()
	storetest.Run(t, func(t *testing.T, name string) store.Store { return db.Open(name) })
}
