// Command infra is the ISSMP Study site on AWS, in the AWS CDK for Go: `make deploy` runs it
// through the CDK CLI. Context: sync=false deploys the static site without the sync service.
//
// The distribution's web ACL (AWS WAF) must be created in us-east-1, whatever region the site
// goes to. When the target region is known and is not us-east-1, the ACL goes to a second, small
// stack (IssmpStudyEdge) in us-east-1, and the site stack reads its ARN across regions; `cdk
// deploy --all` deploys the edge stack first. Otherwise (us-east-1, or a synth without an
// environment, as in the tests and `make test-infra`) one stack holds everything, and a rule in
// its template refuses to deploy outside us-east-1. The bucket, the table and the functions stay
// in the operator's region: the ACL alone is no reason to move them to us-east-1.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
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
	site := SiteProps{
		StackProps:      awscdk.StackProps{Description: jsii.String("ISSMP Study: the study site, and optionally its sync service")},
		SiteDir:         str("siteDir", "../public"),
		LambdaDir:       str("lambdaDir", "../build/lambda"),
		SweeperDir:      str("sweeperDir", "../build/sweeper"),
		HeadersFile:     str("headersFile", "../static/headers.json"),
		Sync:            str("sync", "true") != "false",
		SyncConcurrency: 10,
	}
	// The CLI sets these from the credentials it deploys with; a plain synth has none.
	if account, region := os.Getenv("CDK_DEFAULT_ACCOUNT"), os.Getenv("CDK_DEFAULT_REGION"); account != "" && region != "" {
		site.Env = &awscdk.Environment{Account: &account, Region: &region}
	}
	_, _, err := defineStacks(app, str("stackName", "IssmpStudy"), site)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	app.Synth(nil)
}

// defineStacks adds the site stack named name to app and, when the site's region is known and is
// not us-east-1, the edge stack (name+"Edge") that holds its web ACL. edge is nil without one.
func defineStacks(app awscdk.App, name string, site SiteProps) (siteStack, edge awscdk.Stack, err error) {
	if env := site.Env; env != nil && env.Region != nil && *env.Region != edgeRegion {
		var acl awswafv2.CfnWebACL
		edge, acl = NewEdgeStack(app, name+"Edge", EdgeProps{
			StackProps: awscdk.StackProps{
				Description: jsii.String("ISSMP Study: the web ACL (AWS WAF) in front of the site's CloudFront distribution"),
				Env:         &awscdk.Environment{Account: env.Account, Region: jsii.String(edgeRegion)},
			},
			Sync: site.Sync,
		})
		// A weak reference: the site's template reads the edge stack's output with
		// Fn::GetStackOutput, with no custom resource or SSM parameter in between. Nothing is lost
		// by its weakness: WAF refuses to delete an ACL that a distribution still uses.
		acl.ApplyCrossStackReferenceStrength(awscdk.ReferenceStrength_WEAK)
		site.WebACLArn = acl.AttrArn()
	}
	siteStack, err = NewSiteStack(app, name, site)
	return siteStack, edge, err
}
