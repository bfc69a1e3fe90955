package notes

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/issmp-study/issmp/quiz"
)

var (
	// mdLink is a Markdown inline link: [text](target).
	mdLink = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]+)\)`)
	// taskID is what a task statement's number looks like in prose; only numbers the outline
	// holds count, so "PCI DSS 4.0.1" is not one.
	taskID = regexp.MustCompile(`\b[1-9]\.\d{1,2}\.\d{1,2}\b`)
)

// TaskLink is the site's address of a task's note: /domain-3/3-1/#task-3-1-6.
func TaskLink(domainID, subID, taskID string) string {
	return fmt.Sprintf("/domain-%s/%s/#task-%s", domainID, strings.ReplaceAll(subID, ".", "-"), strings.ReplaceAll(taskID, ".", "-"))
}

// checkLinks finds mentions of tasks that are not links to the task's note, and links into the
// site whose task does not exist or is not the one their text names.
func checkLinks(n *Note, idx map[string]quiz.Place) []Problem {
	var ps []Problem
	for i, line := range strings.Split(n.Body, "\n") {
		add := func(format string, args ...any) {
			ps = append(ps, Problem{n.File, n.bodyLine + i, fmt.Sprintf(format, args...)})
		}
		for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
			text, target := m[1], m[2]
			if !strings.HasPrefix(target, "/domain-") || !strings.Contains(target, "#task-") {
				continue
			}
			named := taskID.FindString(text)
			if named == "" { // a term linked to where it is taught: the task must exist
				id := strings.ReplaceAll(target[strings.Index(target, "#task-")+len("#task-"):], "-", ".")
				if p, ok := idx[id]; !ok || target != TaskLink(p.Domain.ID, p.SubDomain.ID, id) {
					add("link %q goes to %s, which is no task's note", text, target)
				}
				continue
			}
			p, ok := idx[named]
			if !ok {
				add("link %q to %s: %s is not a task of the outline", text, target, named)
				continue
			}
			if want := TaskLink(p.Domain.ID, p.SubDomain.ID, named); target != want {
				add("link to task %s goes to %s, want %s", named, target, want)
			}
		}
		plain := mdLink.ReplaceAllString(line, "")
		for _, id := range taskID.FindAllString(plain, -1) {
			if p, ok := idx[id]; ok {
				add("task %s is mentioned as plain text: link it as [%s](%s)", id, id, TaskLink(p.Domain.ID, p.SubDomain.ID, id))
			}
		}
	}
	return ps
}
