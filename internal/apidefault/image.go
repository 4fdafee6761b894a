package apidefault

import (
	"regexp"
	"strings"

	v1 "k8s.io/api/core/v1"
)

// The grammar of an image reference, as the API server's image-name parser
// (the distribution project's reference package, reached through
// pkg/util/parsers.ParseImageName) accepts it. The pieces are kept as
// separate strings so that the two expressions below share them, and so
// that the reference and its name are split exactly as that parser splits
// them: Go's regexp prefers the same submatches for the same expression.
const (
	// refPathComponent is one lower-case path segment: alphanumerics joined
	// by a dot, one or two underscores, or any run of dashes.
	refPathComponent = `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
	refPath          = refPathComponent + `(?:/` + refPathComponent + `)*`
	// refHostLabel is one DNS label; a registry host may use upper case.
	refHostLabel = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
	refHost      = `(?:` + refHostLabel + `(?:\.` + refHostLabel + `)*|\[(?:[a-fA-F0-9:]+)\])`
	refDomain    = refHost + `(?::[0-9]+)?`
	refName      = `(?:` + refDomain + `/)?` + refPath
	refTag       = `[\w][\w.-]{0,127}`
	refDigest    = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`
)

var (
	// referenceExpr captures the name, the tag and the digest.
	referenceExpr = regexp.MustCompile(`^(` + refName + `)(?::(` + refTag + `))?(?:@(` + refDigest + `))?$`)
	// nameExpr splits a name into its domain and its path.
	nameExpr = regexp.MustCompile(`^(?:(` + refDomain + `)/)?(` + refPath + `)$`)
	// hexIDExpr is a bare 64-character image ID, which is not a name.
	hexIDExpr = regexp.MustCompile(`^[a-f0-9]{64}$`)
)

// maxRepositoryPath is the longest repository path the parser accepts.
const maxRepositoryPath = 255

// pullPolicy is the image pull policy the API server gives a container or
// an image volume that names none: Always when the reference's tag is
// "latest" (given, or implied by a reference with neither tag nor digest),
// IfNotPresent otherwise — including for a reference the parser rejects,
// whose error the defaulting ignores (validation reports it later).
func pullPolicy(image string) v1.PullPolicy {
	if impliesLatest(image) {
		return v1.PullAlways
	}
	return v1.PullIfNotPresent
}

// impliesLatest reports whether image parses as a normalized reference
// whose tag is "latest" or which has neither tag nor digest.
func impliesLatest(image string) bool {
	if hexIDExpr.MatchString(image) {
		return false
	}
	full, ok := normalizeReference(image)
	if !ok {
		return false
	}
	m := referenceExpr.FindStringSubmatch(full)
	if m == nil {
		return false
	}
	// Only a name longer than the limit can have a path longer than it.
	if len(m[1]) > maxRepositoryPath {
		if parts := nameExpr.FindStringSubmatch(m[1]); parts != nil && len(parts[2]) > maxRepositoryPath {
			return false
		}
	}
	tag, digest := m[2], m[3]
	if digest != "" && !validDigest(digest) {
		return false
	}
	return tag == "latest" || (tag == "" && digest == "")
}

// normalizeReference prefixes a familiar name with Docker Hub's domain
// (and "library/" for a single-segment repository), as the parser does
// before matching the grammar, and rejects a repository written with upper
// case letters.
func normalizeReference(image string) (string, bool) {
	const hub, legacyHub, official = "docker.io", "index.docker.io", "library/"
	domain, rest := hub, official+image
	if first, remainder, found := strings.Cut(image, "/"); found {
		switch {
		case first == legacyHub:
			domain, rest = hub, remainder
		case first == "localhost", strings.ContainsAny(first, ".:"), strings.ToLower(first) != first:
			domain, rest = first, remainder
		default:
			domain, rest = hub, image
		}
		if domain == hub && !strings.Contains(rest, "/") {
			rest = official + rest
		}
	}
	repo := rest
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		repo = rest[:i]
	}
	if strings.ToLower(repo) != repo {
		return "", false
	}
	return domain + "/" + rest, true
}

// validDigest reports whether a digest the grammar matched is one the
// parser accepts: a known algorithm with its exact lower-case hex length.
func validDigest(d string) bool {
	algorithm, encoded, _ := strings.Cut(d, ":")
	var length int
	switch algorithm {
	case "sha256":
		length = 64
	case "sha384":
		length = 96
	case "sha512":
		length = 128
	default:
		return false
	}
	if len(encoded) != length {
		return false
	}
	for _, c := range encoded {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
