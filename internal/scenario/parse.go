package scenario

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Line is one parsed scenario line: a kind, a name and its settings.
type Line struct {
	Kind string
	Name string
	Args map[string]string
	// Flags are the bare words after the name, such as "deleting".
	Flags map[string]bool
	// used records which settings a builder consumed, so that a typo is
	// reported instead of silently ignored.
	used map[string]bool
}

// ParseLines splits input into lines and parses each non-empty line that is
// not a comment (#).
func ParseLines(input string) ([]*Line, error) {
	var out []*Line
	for i, raw := range strings.Split(input, "\n") {
		raw = strings.TrimSpace(raw)
		if raw == "" || strings.HasPrefix(raw, "#") {
			continue
		}
		l, err := parseLine(raw)
		if err != nil {
			return nil, fmt.Errorf("line %d %q: %v", i+1, raw, err)
		}
		out = append(out, l)
	}
	return out, nil
}

func parseLine(raw string) (*Line, error) {
	fields := strings.Fields(raw)
	if len(fields) < 2 {
		return nil, fmt.Errorf("want a kind and a name")
	}
	l := &Line{Kind: fields[0], Name: fields[1], Args: map[string]string{}, Flags: map[string]bool{}, used: map[string]bool{}}
	for _, f := range fields[2:] {
		if k, v, ok := strings.Cut(f, "="); ok {
			l.Args[k] = v
		} else {
			l.Flags[f] = true
		}
	}
	return l, nil
}

// Has reports whether the line sets key or carries the flag key.
func (l *Line) Has(key string) bool {
	l.used[key] = true
	_, ok := l.Args[key]
	return ok || l.Flags[key]
}

// Str returns the setting key, or def when it is absent.
func (l *Line) Str(key, def string) string {
	l.used[key] = true
	if v, ok := l.Args[key]; ok {
		return v
	}
	return def
}

// Int returns the integer setting key, or def when it is absent.
func (l *Line) Int(key string, def int64) (int64, error) {
	v, ok := l.Args[key]
	l.used[key] = true
	if !ok {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s=%s: not an integer", key, v)
	}
	return n, nil
}

// Age returns the duration setting key (an age such as 90s, 5m, 1h), and
// whether it was present.
func (l *Line) Age(key string) (time.Duration, bool, error) {
	v, ok := l.Args[key]
	l.used[key] = true
	if !ok {
		return 0, false, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, false, fmt.Errorf("%s=%s: not a duration", key, v)
	}
	return d, true, nil
}

// Map parses a setting of the form k1=v1,k2=v2 (as labels are written).
func (l *Line) Map(key string) (map[string]string, bool, error) {
	v, ok := l.Args[key]
	l.used[key] = true
	if !ok {
		return nil, false, nil
	}
	m := map[string]string{}
	if v == "" {
		return m, true, nil
	}
	for _, kv := range strings.Split(v, ",") {
		k, val, found := strings.Cut(kv, "=")
		if !found {
			return nil, false, fmt.Errorf("%s=%s: want k=v pairs separated by commas", key, v)
		}
		m[k] = val
	}
	return m, true, nil
}

// Unused returns an error naming settings and flags no builder read.
func (l *Line) Unused() error {
	var extra []string
	for k := range l.Args {
		if !l.used[k] {
			extra = append(extra, k)
		}
	}
	for k := range l.Flags {
		if !l.used[k] {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return nil
	}
	sort.Strings(extra)
	return fmt.Errorf("%s %s: unknown settings %s", l.Kind, l.Name, strings.Join(extra, ", "))
}
