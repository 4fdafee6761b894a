package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// document is one document of a stream, with the line it starts on.
type document struct {
	data []byte
	// line is the line of the document's first content: its first line
	// neither blank nor a comment.
	line int
	// base is the line the document's bytes start on, from which a YAML
	// parser counts the lines of its errors.
	base int
	json bool
}

// splitError is a stream that cannot be cut into documents, at a line.
type splitError struct {
	line int
	msg  string
}

// stream loads every document of one source.
func (l *loader) stream(data []byte, source string) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	var docs []document
	var err *splitError
	if first := bytes.TrimLeft(data, " \t\r\n"); len(first) > 0 && first[0] == '{' {
		docs, err = splitJSON(data)
	} else {
		docs, err = splitYAML(data)
	}
	for i, d := range docs {
		l.document(d, Origin{Source: source, Line: d.line, Document: i + 1})
	}
	if err != nil {
		l.errs = append(l.errs, errors.New(source+":"+strconv.Itoa(err.line)+": "+err.msg))
	}
}

// splitYAML cuts a YAML stream at its "---" lines as kubectl does: a line
// starting with "---" followed by nothing but blanks or a comment ends a
// document; "---" followed by anything else is an error (kubectl refuses
// it too). Blank and comment-only documents are dropped.
func splitYAML(data []byte) ([]document, *splitError) {
	var docs []document
	start, startLine := 0, 1
	line := 1
	flush := func(end int) {
		d := data[start:end]
		if skipped, blank := leadingBlankLines(d); !blank {
			docs = append(docs, document{data: d, line: startLine + skipped, base: startLine})
		}
	}
	for pos := 0; pos < len(data); line++ {
		end := bytes.IndexByte(data[pos:], '\n')
		next := len(data)
		if end >= 0 {
			end += pos
			next = end + 1
		} else {
			end = len(data)
		}
		text := data[pos:end]
		if bytes.HasPrefix(text, []byte("---")) {
			rest := bytes.TrimSpace(text[3:])
			if len(rest) > 0 && rest[0] != '#' {
				return docs, &splitError{line: line, msg: "invalid YAML document separator: " + quoteShort(rest)}
			}
			flush(pos)
			start, startLine = next, line+1
		}
		pos = next
	}
	flush(len(data))
	return docs, nil
}

// splitJSON cuts a stream of JSON values into documents.
func splitJSON(data []byte) ([]document, *splitError) {
	var docs []document
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		start := int(dec.InputOffset())
		for start < len(data) && strings.IndexByte(" \t\r\n", data[start]) >= 0 {
			start++
		}
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return docs, nil
		}
		line := 1 + bytes.Count(data[:start], []byte("\n"))
		if err != nil {
			return docs, &splitError{line: line, msg: "document " + strconv.Itoa(len(docs)+1) + ": invalid JSON: " + err.Error()}
		}
		docs = append(docs, document{data: raw, line: line, base: line, json: true})
	}
}

// quoteShort quotes b for an error message, cut to a readable length.
func quoteShort(b []byte) string {
	const max = 40
	if len(b) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(b[cut]) {
			cut--
		}
		return strconv.Quote(string(b[:cut])) + "..."
	}
	return strconv.Quote(string(b))
}
