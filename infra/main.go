// Command infra is the ISSMP Study site on AWS, in the AWS CDK for Go: `make deploy` runs it
// through the CDK CLI. Context: sync=false deploys the static site without the sync service.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	str := func(key, fallback string) string {
		if v, ok := app.Node().TryGetContext(jsii.String(key)).(string); ok && v != "" {
			return v
		}
		return fallback
	}
	props := awscdk.StackProps{Description: jsii.String("ISSMP Study: the study site, and optionally its sync service")}
	// The CLI sets these from the credentials it deploys with; a plain synth has none.
	if account, region := os.Getenv("CDK_DEFAULT_ACCOUNT"), os.Getenv("CDK_DEFAULT_REGION"); account != "" && region != "" {
		props.Env = &awscdk.Environment{Account: &account, Region: &region}
	}
	_, err := NewSiteStack(app, str("stackName", "IssmpStudy"), SiteProps{
		StackProps:      props,
		SiteDir:         str("siteDir", "../public"),
		LambdaDir:       str("lambdaDir", "../build/lambda"),
		HeadersFile:     str("headersFile", "../static/headers.json"),
		Sync:            str("sync", "true") != "false",
		SyncConcurrency: 10,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	app.Synth(nil)
}
