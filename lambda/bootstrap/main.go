// Command bootstrap is the sync service on AWS Lambda (provided.al2023, arm64): the syncapi
// handler over DynamoDB, served to a Lambda function URL by aws-lambda-go's lambdaurl adapter.
//
// Why lambdaurl, in RESPONSE_STREAM invoke mode: it ships with aws-lambda-go itself (no second
// adapter library), runs the unchanged net/http handler, and a function URL needs no API Gateway
// in front of it: CloudFront reaches the URL through origin access control, so the function is
// callable only through the site's own distribution, on the site's own origin. lambdaurl supports
// only the streaming invoke mode; our responses are small JSON, so streaming changes nothing else.
package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambdaurl"
	"github.com/issmp-study/issmp/lambda/syncapi"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/dynamostore"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	var seed [16]byte
	_, _ = rand.Read(seed[:])
	rng := mrand.New(mrand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:])))
	store, err := dynamostore.FromEnv(context.Background(), rng, syncstore.DefaultLimits)
	if err != nil {
		log.Error("opening the sync table", "err", err)
		os.Exit(1)
	}
	lambdaurl.Start(handler(store, log))
}

// handler is the service the function serves.
func handler(store syncstore.Store, log *slog.Logger) http.Handler {
	return syncapi.New(syncapi.Config{Store: store, Now: time.Now, Log: log, ClientAddr: syncapi.ViewerAddr})
}
