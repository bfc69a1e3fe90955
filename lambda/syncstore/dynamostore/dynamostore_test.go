package dynamostore

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/issmp-study/issmp/internal/dynamolocal"
	"github.com/issmp-study/issmp/lambda/syncstore"
	"github.com/issmp-study/issmp/lambda/syncstore/storetest"
)

// localClient returns a client of a DynamoDB Local that this test started.
func localClient(t *testing.T) *dynamodb.Client {
	endpoint := dynamolocal.Start(t)
	return dynamodb.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	}, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

func TestDynamoStorePassesTheConformanceSuiteOnDynamoDBLocal(t *testing.T) {
	db := localClient(t)
	n := 0
	storetest.Run(t, func(t *testing.T) syncstore.Store {
		n++
		table := fmt.Sprintf("sync-%d", n)
		if err := CreateTable(t.Context(), db, table); err != nil {
			t.Fatal(err)
		}
		return New(db, table, rand.New(rand.NewPCG(uint64(n), 1)))
	})
}
