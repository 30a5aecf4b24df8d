/* Job file lexer: turns text into numbered lines of tokens (quotes, escapes
 * and comments resolved) for the job parser. */
#include "job_lines.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"

static int add_token(struct lb_job_line *line, struct lb_strbuf *word, int eq, size_t raw_end)
{
	struct lb_job_token *t = realloc(line->tokens, (line->count + 1) * sizeof *t);
	if (!t)
		return lb_fail(LB_E_NOMEM, "out of memory");
	line->tokens = t;
	t[line->count].text = strdup(lb_strbuf_str(word));
	if (!t[line->count].text)
		return lb_fail(LB_E_NOMEM, "out of memory");
	t[line->count].eq = eq;
	t[line->count].raw_end = raw_end;
	line->count++;
	return 0;
}

/* Tokenizes line->raw, cutting it at a comment. */
static int tokenize(const char *path, struct lb_job_line *line)
{
	const char *s = line->raw;
	size_t i = 0, len = strlen(s);
	int rc = 0;
	struct lb_strbuf word;
	lb_strbuf_init(&word);
	while (rc == 0) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len || s[i] == '#') {
			while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
				i--;
			line->raw[i] = '\0';
			break;
		}
		int eq = -1;
		bool quoted = false;
		lb_strbuf_free(&word);
		lb_strbuf_puts(&word, "");
		while (i < len && (quoted || (s[i] != ' ' && s[i] != '\t'))) {
			char c = s[i++];
			if (c == '"') {
				quoted = !quoted;
				continue;
			}
			if (quoted && c == '\\' && i < len && (s[i] == '"' || s[i] == '\\'))
				c = s[i++];
			else if (!quoted && c == '=' && eq < 0)
				eq = (int)word.len;
			lb_strbuf_append(&word, &c, 1);
		}
		if (quoted)
			rc = lb_fail(LB_E_INVALID, "%s:%u: unterminated quote", path, line->number);
		else
			rc = add_token(line, &word, eq, i);
	}
	lb_strbuf_free(&word);
	return rc;
}

void lb_job_free_lines(struct lb_job_line *lines, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		for (unsigned t = 0; t < lines[i].count; t++)
			free(lines[i].tokens[t].text);
		free(lines[i].tokens);
		free(lines[i].raw);
	}
	free(lines);
}

int lb_job_split_lines(const char *path, const char *text, size_t len,
		       struct lb_job_line **out, unsigned *count)
{
	struct lb_job_line *lines = NULL;
	unsigned n = 0, number = 0;
	size_t pos = 0;
	while (pos < len) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		number++;
		size_t line_len = end - pos;
		if (line_len > 0 && text[pos + line_len - 1] == '\r')
			line_len--;
		if (memchr(text + pos, '\0', line_len)) {
			lb_job_free_lines(lines, n);
			return lb_fail(LB_E_INVALID, "%s:%u: NUL byte in a job file", path, number);
		}
		struct lb_job_line *grown = realloc(lines, (n + 1) * sizeof *lines);
		if (!grown) {
			lb_job_free_lines(lines, n);
			return lb_fail(LB_E_NOMEM, "out of memory");
		}
		lines = grown;
		struct lb_job_line *line = &lines[n++];
		memset(line, 0, sizeof *line);
		line->number = number;
		line->raw = strndup(text + pos, line_len);
		int rc = line->raw ? tokenize(path, line) : lb_fail(LB_E_NOMEM, "out of memory");
		if (rc < 0) {
			lb_job_free_lines(lines, n);
			return rc;
		}
		if (line->count == 0) {
			free(line->tokens);
			free(line->raw);
			n--;
		}
		pos = end + 1;
	}
	*out = lines;
	*count = n;
	return 0;
}
