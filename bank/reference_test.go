package bank

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

type referenceOutline struct {
	subdomains map[string]string // "3.1" -> name
	tasks      map[string]string // "3.1.9" -> text
}

var subdomainLine = regexp.MustCompile(`^(\d\.\d+) (.+)$`)

// readReferenceTasks reads the exam outline as published (a text capture of ISC2's page) and
// numbers its bullets, so the data file can be checked against it word for word.
func readReferenceTasks(path string) (*referenceOutline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ref := &referenceOutline{subdomains: map[string]string{}, tasks: map[string]string{}}
	var cur string
	n, inDomains := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "Domains":
			inDomains = true
		case !inDomains:
		case strings.HasPrefix(line, "How is AI Security"):
			inDomains = false
		case subdomainLine.MatchString(line):
			m := subdomainLine.FindStringSubmatch(line)
			cur, n = m[1], 0
			ref.subdomains[cur] = strings.TrimSpace(m[2])
		case strings.HasPrefix(line, "• ") && cur != "":
			n++
			ref.tasks[cur+"."+strconv.Itoa(n)] = strings.TrimSpace(strings.TrimPrefix(line, "• "))
		}
	}
	if len(ref.tasks) == 0 {
		return nil, fmt.Errorf("%s: no tasks found", path)
	}
	return ref, sc.Err()
}

func itoa(n int) string { return strconv.Itoa(n) }
