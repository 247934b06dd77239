/*-------------------------------------------------------------------------
 *
 * agreement_core.c
 *	  Parse, validate and take apart a mentorship agreement document, on
 *	  libxml2 alone (see agreement_core.h).
 *
 * Hostile input: the document is parsed from memory with network access
 * off and entity substitution off; a DOCTYPE stops the parser the moment
 * it is seen, before any of its declarations are read, so no DTD, entity
 * or external reference is ever processed; libxml2's own depth limit (256)
 * stays in force (no XML_PARSE_HUGE).  Errors are kept with their line
 * numbers and libxml2's message, never the content of anything loaded.
 *
 * Bounded cost: before libxml2 sees the bytes, a linear scan refuses NUL
 * characters, a byte order mark that contradicts the declared encoding, and
 * elements with more attributes than MENTOR_XML_MAX_ATTRIBUTES (libxml2's
 * duplicate-attribute check is quadratic).  Every loop over agreements is
 * linear and polls the caller's should_stop; at most MENTOR_XML_MAX_PROBLEMS
 * problems are kept, each with clipped values.  A failed allocation ends
 * the parse as MENTOR_XML_NOMEM with everything freed: this code runs
 * inside a database server, where ending the process would restart every
 * connection.
 *
 * xml/agreement_core.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlschemas.h>

#include "agreement_core.h"

#define Max2(a, b) ((a) > (b) ? (a) : (b))

typedef struct ParseState
{
	MentorAgreementDocument *out;
	bool		dtd;
	int			dtd_line;
} ParseState;

/* an allocation failed during this parse: the result is thrown away */
static bool out_of_memory;

static char *
dup_string(const char *s)
{
	char	   *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		out_of_memory = true;
	return d;
}

/*
 * A malloc'd copy of s cut to at most max bytes at a UTF-8 character
 * boundary, "..." marking a cut; NULL for NULL (or no memory).
 */
char *
mentor_xml_clip(const char *s, size_t max)
{
	size_t		len;
	char	   *d;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if (len <= max)
		return dup_string(s);
	while (max > 0 && ((unsigned char) s[max] & 0xC0) == 0x80)
		max--;
	d = malloc(max + 4);
	if (d == NULL)
	{
		out_of_memory = true;
		return NULL;
	}
	memcpy(d, s, max);
	memcpy(d + max, "...", 4);
	return d;
}

/* libxml2's messages end in a newline */
static char *
dup_message(const char *s)
{
	char	   *m = mentor_xml_clip(s ? s : "unknown error", MENTOR_XML_MAX_MESSAGE_BYTES);
	size_t		len = m ? strlen(m) : 0;

	while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == ' '))
		m[--len] = '\0';
	return m;
}

/* keep the first MENTOR_XML_MAX_PROBLEMS problems; count them all */
static bool
keeps_problem(MentorAgreementDocument *out)
{
	return out->nproblems < MENTOR_XML_MAX_PROBLEMS;
}

static void
add_problem(MentorAgreementDocument *out, int line, const char *number,
			const char *message)
{
	MentorXmlProblem *p;

	out->nproblems_total++;
	if (!keeps_problem(out))
		return;
	if (out->problems == NULL)
	{
		out->problems = calloc(MENTOR_XML_MAX_PROBLEMS, sizeof(MentorXmlProblem));
		if (out->problems == NULL)
		{
			out_of_memory = true;
			return;
		}
	}
	p = &out->problems[out->nproblems++];
	p->line = line;
	p->number = mentor_xml_clip(number, MENTOR_XML_MAX_VALUE_BYTES);
	p->message = dup_message(message);
}

static bool
is_ours(xmlNodePtr node, const char *name)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
		node->ns != NULL &&
		xmlStrEqual(node->ns->href, BAD_CAST MENTOR_AGREEMENT_NS) &&
		xmlStrEqual(node->name, BAD_CAST name);
}

/* the <agreement> a node lies in, or NULL */
static xmlNodePtr
agreement_of(xmlNodePtr node)
{
	for (; node != NULL && node->type != XML_DOCUMENT_NODE; node = node->parent)
		if (is_ours(node, "agreement"))
			return node;
	return NULL;
}

static char *
attribute(xmlNodePtr node, const char *name)
{
	xmlChar    *v;
	char	   *s;

	if (node == NULL)
		return NULL;
	v = xmlGetNoNsProp(node, BAD_CAST name);
	s = dup_string((char *) v);
	xmlFree(v);
	return s;
}

/* the element's text, with surrounding white space removed */
static char *
text(xmlNodePtr node)
{
	xmlChar    *v;
	char	   *start;
	char	   *s;
	size_t		len;

	if (node == NULL)
		return NULL;
	v = xmlNodeGetContent(node);
	if (v == NULL)
		return NULL;
	start = (char *) v;
	while (*start && isspace((unsigned char) *start))
		start++;
	len = strlen(start);
	while (len > 0 && isspace((unsigned char) start[len - 1]))
		len--;
	s = strndup(start, len);
	xmlFree(v);
	return s;
}

static xmlNodePtr
child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr	c;

	for (c = parent ? parent->children : NULL; c != NULL; c = c->next)
		if (is_ours(c, name))
			return c;
	return NULL;
}

/*
 * Every error the parser raises passes here (XML_PARSE_NOERROR only silences
 * the unstructured channels).  Under memory pressure libxml2 2.9 goes on
 * after a failed allocation and may end with an unrelated message ("Extra
 * content at the end of the document"): the first out-of-memory error, not
 * the last error, says what happened.
 */
static void
parser_error(void *ctx, xmlErrorPtr error)
{
	if (error != NULL && error->code == XML_ERR_NO_MEMORY)
		out_of_memory = true;
}

/* SAX: a DOCTYPE was seen; stop before its internal subset is read */
static void
reject_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
			   const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr) ctx;
	ParseState *st = (ParseState *) ctxt->_private;

	st->dtd = true;
	st->dtd_line = xmlSAX2GetLineNumber(ctxt);
	xmlStopParser(ctxt);
}

/*
 * Schema errors: each is a problem, and marks its <agreement> (through the
 * node's _private, which nothing else here uses) so that take_apart knows
 * it in constant time.
 */
static void
schema_error(void *arg, xmlErrorPtr error)
{
	ParseState *st = (ParseState *) arg;
	xmlNodePtr	agreement = agreement_of((xmlNodePtr) error->node);
	char	   *number = NULL;

	if (error->code == XML_ERR_NO_MEMORY)
		out_of_memory = true;

	if (agreement != NULL)
	{
		agreement->_private = st;
		if (keeps_problem(st->out))
			number = attribute(agreement, "number");
	}
	add_problem(st->out, error->line, number, error->message);
	free(number);
}

/* output callbacks of serialize: a growing malloc'd buffer */
typedef struct OutBuffer
{
	char	   *data;
	size_t		len;
	size_t		size;
} OutBuffer;

static int
out_write(void *ctx, const char *buf, int len)
{
	OutBuffer  *b = (OutBuffer *) ctx;

	if (b->len + len + 1 > b->size)
	{
		size_t		size = Max2(b->size * 2, b->len + len + 1);
		char	   *data = realloc(b->data, size);

		if (data == NULL)
			return -1;
		b->data = data;
		b->size = size;
	}
	memcpy(b->data + b->len, buf, len);
	b->len += len;
	b->data[b->len] = '\0';
	return len;
}

static int
out_close(void *ctx)
{
	return 0;
}

/*
 * The element as XML text, the way xmlNodeDump writes it (no encoding:
 * characters outside ASCII as references), through libxml2's save API into
 * our own buffer: under memory pressure xmlBuffer's error path in libxml2
 * 2.9 freed twice.
 */
static char *
serialize(xmlDocPtr doc, xmlNodePtr node)
{
	OutBuffer	b = {NULL, 0, 0};
	xmlSaveCtxtPtr save = xmlSaveToIO(out_write, out_close, &b, NULL, 0);
	bool		ok;

	if (save == NULL)
	{
		out_of_memory = true;
		return NULL;
	}
	ok = xmlSaveTree(save, node) >= 0;
	if (xmlSaveClose(save) < 0)
		ok = false;
	if (!ok || b.data == NULL)
	{
		free(b.data);
		out_of_memory = true;
		return NULL;
	}
	return b.data;
}

static void
take_apart(ParseState *st, xmlDocPtr doc, xmlNodePtr node)
{
	MentorAgreementDocument *out = st->out;
	MentorAgreementForm *f;
	xmlNodePtr	bonus = child(node, "bonus");
	xmlNodePtr	signatories = child(node, "signatories");

	/* a rejected agreement is only counted: its problems say the rest */
	if (node->_private != NULL)
	{
		out->nrejected++;
		return;
	}
	if (out->nforms == out->formsize)
	{
		int			size = out->formsize ? out->formsize * 2 : 16;
		MentorAgreementForm *forms = realloc(out->forms, size * sizeof(MentorAgreementForm));

		if (forms == NULL)
		{
			out_of_memory = true;
			return;
		}
		out->forms = forms;
		out->formsize = size;
	}
	f = &out->forms[out->nforms++];
	memset(f, 0, sizeof(MentorAgreementForm));
	f->line = xmlGetLineNo(node);
	f->schema_ok = true;
	f->number = attribute(node, "number");
	f->personnel_no = attribute(child(node, "mentor"), "personnelNo");
	f->replaces = attribute(child(node, "replaces"), "number");
	f->signed_on = text(child(node, "signedOn"));
	f->valid_from = text(child(node, "validFrom"));
	f->valid_to = text(child(node, "validTo"));
	f->bonus_kind = attribute(bonus, "kind");
	f->bonus_amount = text(bonus);
	f->currency = attribute(bonus, "currency");
	f->max_mentees = text(child(node, "maxMentees"));
	f->employer_name = attribute(child(signatories, "employer"), "name");
	f->employer_position = attribute(child(signatories, "employer"), "position");
	f->employee_name = attribute(child(signatories, "employee"), "name");
	f->xml = serialize(doc, node);
}

static int
compare_numbers(const void *a, const void *b)
{
	const MentorAgreementForm *x = *(MentorAgreementForm *const *) a;
	const MentorAgreementForm *y = *(MentorAgreementForm *const *) b;
	int			c = strcmp(x->number ? x->number : "", y->number ? y->number : "");

	return c != 0 ? c : x->line - y->line;
}

/* a number used twice in one document: every later use is a problem */
static void
find_duplicates(MentorAgreementDocument *out)
{
	MentorAgreementForm **sorted;
	int			i;

	if (out->nforms < 2)
		return;
	sorted = malloc(out->nforms * sizeof(MentorAgreementForm *));
	if (sorted == NULL)
	{
		out_of_memory = true;
		return;
	}
	for (i = 0; i < out->nforms; i++)
		sorted[i] = &out->forms[i];
	qsort(sorted, out->nforms, sizeof(MentorAgreementForm *), compare_numbers);
	for (i = 1; i < out->nforms; i++)
	{
		MentorAgreementForm *prev = sorted[i - 1];
		MentorAgreementForm *cur = sorted[i];

		if (prev->number && cur->number && strcmp(prev->number, cur->number) == 0)
		{
			char		message[200];

			snprintf(message, sizeof(message),
					 "agreement number appears more than once in the document (first on line %d)",
					 sorted[i - 1]->line);
			add_problem(out, cur->line, cur->number, message);
			cur->schema_ok = false;
		}
	}
	free(sorted);
}

static bool
blank(const char *data, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char) data[i]))
			return false;
	return true;
}

/*
 * Compile the agreement schema from its text.  NULL on failure.
 */
xmlSchemaPtr
mentor_agreement_schema(const char *xsd, size_t len)
{
	xmlSchemaParserCtxtPtr pctxt;
	xmlSchemaPtr schema;

	if (len > INT_MAX)
		return NULL;
	pctxt = xmlSchemaNewMemParserCtxt(xsd, (int) len);
	if (pctxt == NULL)
		return NULL;
	schema = xmlSchemaParse(pctxt);
	xmlSchemaFreeParserCtxt(pctxt);
	return schema;
}

/*
 * The byte order mark's encoding, or NULL; *unit is the code unit size the
 * scan below steps by (2 for UTF-16, recognised by its mark or by "<?" in
 * either byte order, else 1: every other encoding libxml2 reads here is a
 * superset of ASCII).
 */
static const char *
bom_encoding(const unsigned char *d, size_t len, int *unit, bool *big_endian, size_t *skip)
{
	*unit = 1;
	*big_endian = false;
	*skip = 0;
	if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
	{
		*skip = 3;
		return "UTF-8";
	}
	if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
	{
		*unit = 2;
		*big_endian = (d[0] == 0xFE);
		*skip = 2;
		return "UTF-16";
	}
	if (len >= 4 && d[0] == '<' && d[1] == 0 && d[2] == '?' && d[3] == 0)
		*unit = 2;
	else if (len >= 4 && d[0] == 0 && d[1] == '<' && d[2] == 0 && d[3] == '?')
	{
		*unit = 2;
		*big_endian = true;
	}
	return NULL;
}

/* the code unit at byte offset i */
static unsigned
unit_at(const unsigned char *d, size_t i, int unit, bool big_endian)
{
	if (unit == 1)
		return d[i];
	return big_endian ? ((unsigned) d[i] << 8) | d[i + 1] :
		((unsigned) d[i + 1] << 8) | d[i];
}

static bool
refuse(MentorAgreementDocument *out, MentorXmlFailure failure, int line,
	   const char *message)
{
	out->failure = failure;
	out->failure_line = line;
	out->failure_message = dup_message(message);
	return false;
}

/* the encoding an ASCII XML declaration names, into buf; false if none */
static bool
declared_encoding(const char *d, size_t len, char *buf, size_t size)
{
	const char *end;
	const char *p;
	size_t		n = 0;
	char		quote;

	if (len < 5 || memcmp(d, "<?xml", 5) != 0)
		return false;
	end = memchr(d, '>', len < 200 ? len : 200);
	if (end == NULL)
		return false;
	for (p = d; p + 8 < end && memcmp(p, "encoding", 8) != 0; p++)
		;
	if (p + 8 >= end)
		return false;
	for (p += 8; p < end && (*p == ' ' || *p == '='); p++)
		;
	if (p >= end || (*p != '"' && *p != '\''))
		return false;
	quote = *p++;
	while (p < end && *p != quote && n + 1 < size)
		buf[n++] = *p++;
	buf[n] = '\0';
	return true;
}

/*
 * One linear pass over the bytes, before libxml2 sees them: no NUL
 * character (libxml2 ends the document there, so bytes after it would be
 * silently ignored), a byte order mark that agrees with the declared
 * encoding, and at most MENTOR_XML_MAX_ATTRIBUTES attributes ("=" outside
 * quoted values) on any one element.
 */
static bool
prescan(const char *data, size_t len, const char *encoding,
		MentorAgreementDocument *out)
{
	const unsigned char *d = (const unsigned char *) data;
	int			unit;
	bool		be;
	size_t		skip;
	const char *bom = bom_encoding(d, len, &unit, &be, &skip);
	char		declared[64];
	int			line = 1;
	int			attributes = 0;
	bool		in_tag = false;
	unsigned	quote = 0;
	size_t		i;

	if (bom != NULL && encoding == NULL && unit == 1 &&
		declared_encoding(data + skip, len - skip, declared, sizeof(declared)) &&
		strcasecmp(declared, "UTF-8") != 0 && strcasecmp(declared, "UTF8") != 0)
	{
		char		message[160];

		snprintf(message, sizeof(message),
				 "the document starts with a UTF-8 byte order mark but declares encoding \"%s\"",
				 declared);
		return refuse(out, MENTOR_XML_MALFORMED, 1, message);
	}

	for (i = skip; i + unit <= len; i += unit)
	{
		unsigned	c = unit_at(d, i, unit, be);

		if (c == 0)
			return refuse(out, MENTOR_XML_MALFORMED, line,
						  "the document contains a NUL character; nothing after it would be read");
		if (c == '\n')
			line++;
		else if (quote != 0)
		{
			if (c == quote)
				quote = 0;
		}
		else if (c == '<')
		{
			/* a start tag: a name follows (not "!" of a comment, "?", "/") */
			unsigned	next = i + 2 * unit <= len ? unit_at(d, i + unit, unit, be) : 0;

			in_tag = next >= 0x80 || next == '_' || next == ':' ||
				(next >= 'A' && next <= 'Z') || (next >= 'a' && next <= 'z');
			attributes = 0;
		}
		else if (!in_tag)
			continue;
		else if (c == '>')
			in_tag = false;
		else if (c == '"' || c == '\'')
			quote = c;
		else if (c == '=' && ++attributes > MENTOR_XML_MAX_ATTRIBUTES)
		{
			char		message[160];

			snprintf(message, sizeof(message),
					 "an element has more than %d attributes",
					 MENTOR_XML_MAX_ATTRIBUTES);
			return refuse(out, MENTOR_XML_LIMIT, line, message);
		}
	}
	if (i < len)
		return refuse(out, MENTOR_XML_MALFORMED, line,
					  "the document ends in the middle of a UTF-16 character");
	return true;
}

static void
parse_document(ParseState *st, const char *data, size_t len,
			   const char *encoding, xmlSchemaPtr schema,
			   MentorXmlStop should_stop)
{
	MentorAgreementDocument *out = st->out;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr	doc;
	xmlNodePtr	root;

	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
	{
		out_of_memory = true;
		return;
	}
	ctxt->_private = st;
	ctxt->sax->internalSubset = reject_doctype;
	ctxt->sax->serror = parser_error;
	doc = xmlCtxtReadMemory(ctxt, data, (int) len, NULL, encoding,
							XML_PARSE_NONET | XML_PARSE_BIG_LINES |
							XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (st->dtd)
		refuse(out, MENTOR_XML_DTD, st->dtd_line,
			   "document type declarations (DOCTYPE) are not allowed");
	else if (doc == NULL || !ctxt->wellFormed)
	{
		xmlErrorPtr error = xmlCtxtGetLastError(ctxt);

		if (error != NULL && error->code == XML_ERR_NO_MEMORY)
			out_of_memory = true;
		refuse(out, MENTOR_XML_MALFORMED, error ? error->line : 0,
			   error ? error->message : NULL);
	}
	else if ((root = xmlDocGetRootElement(doc)) == NULL)
		refuse(out, MENTOR_XML_EMPTY, 1, "the document has no root element");
	else if (should_stop != NULL && should_stop())
		out->failure = MENTOR_XML_INTERRUPTED;
	else
	{
		xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema);

		if (vctxt == NULL)
			out_of_memory = true;
		else
		{
			xmlSchemaSetValidStructuredErrors(vctxt, schema_error, st);
			xmlSchemaValidateDoc(vctxt, doc);
			xmlSchemaFreeValidCtxt(vctxt);
		}

		if (out_of_memory)
			;
		else if (is_ours(root, "agreement"))
			take_apart(st, doc, root);
		else if (is_ours(root, "agreements"))
		{
			xmlNodePtr	c;

			for (c = root->children; c != NULL && !out_of_memory; c = c->next)
			{
				if (should_stop != NULL && should_stop())
				{
					out->failure = MENTOR_XML_INTERRUPTED;
					break;
				}
				if (is_ours(c, "agreement"))
					take_apart(st, doc, c);
			}
		}
		if (out->failure == MENTOR_XML_OK && !out_of_memory)
			find_duplicates(out);
	}

	if (doc != NULL)
		xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
}

/*
 * Parse data (len bytes) in the given encoding (NULL: as declared, or by
 * byte order mark), validate it against schema and take its agreements
 * apart into *out, which the caller frees with mentor_free_agreements.
 * should_stop (may be NULL) is polled between agreements.  On any failure
 * out holds no agreements and no problems, only the failure.
 */
void
mentor_parse_agreements(const char *data, size_t len, const char *encoding,
						xmlSchemaPtr schema, MentorXmlStop should_stop,
						MentorAgreementDocument *out)
{
	ParseState	st;

	memset(out, 0, sizeof(MentorAgreementDocument));
	memset(&st, 0, sizeof(st));
	st.out = out;
	out_of_memory = false;

	if (len == 0 || blank(data, len))
		refuse(out, MENTOR_XML_EMPTY, 1, "the document is empty");
	else if (len > INT_MAX)
		refuse(out, MENTOR_XML_LIMIT, 0, "the document is too large");
	else if (prescan(data, len, encoding, out))
		parse_document(&st, data, len, encoding, schema, should_stop);

	if (out_of_memory || out->failure != MENTOR_XML_OK)
	{
		MentorXmlFailure failure = out_of_memory ? MENTOR_XML_NOMEM : out->failure;
		int			line = out->failure_line;
		char	   *message = out->failure_message;

		out->failure_message = NULL;
		mentor_free_agreements(out);
		out->failure = failure;
		out->failure_line = line;
		out->failure_message = message;
	}
}

void
mentor_free_agreements(MentorAgreementDocument *doc)
{
	int			i;

	for (i = 0; i < doc->nforms; i++)
	{
		MentorAgreementForm *f = &doc->forms[i];

		free(f->number);
		free(f->personnel_no);
		free(f->replaces);
		free(f->signed_on);
		free(f->valid_from);
		free(f->valid_to);
		free(f->bonus_kind);
		free(f->bonus_amount);
		free(f->currency);
		free(f->max_mentees);
		free(f->employer_name);
		free(f->employer_position);
		free(f->employee_name);
		free(f->xml);
	}
	for (i = 0; i < doc->nproblems; i++)
	{
		free(doc->problems[i].number);
		free(doc->problems[i].message);
	}
	free(doc->forms);
	free(doc->problems);
	free(doc->failure_message);
	memset(doc, 0, sizeof(MentorAgreementDocument));
}
