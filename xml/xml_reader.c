/*-------------------------------------------------------------------------
 *
 * xml_reader.c
 *	  Read an untrusted XML document from memory into a libxml2 tree (see
 *	  xml_reader.h), and the allocation helpers its callers share.
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
 * duplicate-attribute check is quadratic).  A failed allocation ends the
 * read as MENTOR_XML_NOMEM: this code runs inside a database server, where
 * ending the process would restart every connection.
 *
 * xml/xml_reader.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "xml_reader.h"

/* what the SAX callbacks learn during one read */
typedef struct ReadState
{
	bool		dtd;
	int			dtd_line;
} ReadState;

/* an allocation failed since the last read began: the result is thrown away */
static bool out_of_memory;

bool
mentor_xml_out_of_memory(void)
{
	return out_of_memory;
}

void
mentor_xml_note_out_of_memory(void)
{
	out_of_memory = true;
}

char *
mentor_xml_strdup(const char *s)
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
		return mentor_xml_strdup(s);
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

/* a message kept for a report, clipped; libxml2's messages end in a newline */
char *
mentor_xml_message(const char *s)
{
	char	   *m = mentor_xml_clip(s ? s : "unknown error", MENTOR_XML_MAX_MESSAGE_BYTES);
	size_t		len = m ? strlen(m) : 0;

	while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == ' '))
		m[--len] = '\0';
	return m;
}

/* the attribute's value, malloc'd; NULL when absent */
char *
mentor_xml_attribute(xmlNodePtr node, const char *name)
{
	xmlChar    *v;
	char	   *s;

	if (node == NULL)
		return NULL;
	v = xmlGetNoNsProp(node, BAD_CAST name);
	s = mentor_xml_strdup((char *) v);
	xmlFree(v);
	return s;
}

/* the element's text, malloc'd, with surrounding white space removed */
char *
mentor_xml_text(xmlNodePtr node)
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
	if (s == NULL)
		out_of_memory = true;
	xmlFree(v);
	return s;
}

/*
 * Every error the parser raises passes here (XML_PARSE_NOERROR only silences
 * the unstructured channels).  Under memory pressure libxml2 2.9 goes on
 * after a failed allocation and may end with an unrelated message ("Extra
 * content at the end of the document"): the first out-of-memory error, not
 * the last error, says what happened.
 */
static void
parser_error(void *ctx, MentorXmlError error)
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
	ReadState  *st = (ReadState *) ctxt->_private;

	st->dtd = true;
	st->dtd_line = xmlSAX2GetLineNumber(ctxt);
	xmlStopParser(ctxt);
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
 * Compile a schema from its text.  NULL on failure.
 */
xmlSchemaPtr
mentor_xml_schema(const char *xsd, size_t len)
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

/* record why a document is refused; false, for a caller's return */
bool
mentor_xml_refuse(MentorXmlOutcome *out, MentorXmlFailure failure, int line,
				  const char *message)
{
	out->failure = failure;
	out->line = line;
	free(out->message);
	out->message = mentor_xml_message(message);
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
 * encoding, at most MENTOR_XML_MAX_ATTRIBUTES attributes ("=" outside
 * quoted values) on any one element and at most max_elements elements.
 */
static bool
prescan(const char *data, size_t len, const char *encoding,
		long max_elements, MentorXmlOutcome *out)
{
	const unsigned char *d = (const unsigned char *) data;
	int			unit;
	bool		be;
	size_t		skip;
	const char *bom = bom_encoding(d, len, &unit, &be, &skip);
	char		declared[64];
	int			line = 1;
	int			attributes = 0;
	long		elements = 0;
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
		return mentor_xml_refuse(out, MENTOR_XML_MALFORMED, 1, message);
	}

	for (i = skip; i + unit <= len; i += unit)
	{
		unsigned	c = unit_at(d, i, unit, be);

		if (c == 0)
			return mentor_xml_refuse(out, MENTOR_XML_MALFORMED, line,
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
			if (in_tag && max_elements > 0 && ++elements > max_elements)
			{
				char		message[160];

				snprintf(message, sizeof(message),
						 "the document has more than %ld elements", max_elements);
				return mentor_xml_refuse(out, MENTOR_XML_LIMIT, line, message);
			}
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
			return mentor_xml_refuse(out, MENTOR_XML_LIMIT, line, message);
		}
	}
	if (i < len)
		return mentor_xml_refuse(out, MENTOR_XML_MALFORMED, line,
					  "the document ends in the middle of a UTF-16 character");
	return true;
}

/*
 * Read data (len bytes) in the given encoding (NULL: as declared, or by
 * byte order mark) into a tree the caller frees with xmlFreeDoc; a document
 * with more than max_elements elements (0: no bound) is refused before
 * libxml2 builds a tree of them.  NULL, with
 * *out saying why, when the document is empty, refused by the scan above,
 * has a DOCTYPE, is not well-formed or could not be allocated.
 */
xmlDocPtr
mentor_xml_read(const char *data, size_t len, const char *encoding,
				long max_elements, MentorXmlOutcome *out)
{
	ReadState	st = {false, 0};
	xmlParserCtxtPtr ctxt;
	xmlDocPtr	doc;

	memset(out, 0, sizeof(MentorXmlOutcome));
	out_of_memory = false;

	if (len == 0 || blank(data, len))
		mentor_xml_refuse(out, MENTOR_XML_EMPTY, 1, "the document is empty");
	else if (len > INT_MAX)
		mentor_xml_refuse(out, MENTOR_XML_LIMIT, 0, "the document is too large");
	else
		prescan(data, len, encoding, max_elements, out);
	if (out->failure != MENTOR_XML_OK)
	{
		if (out_of_memory)
			out->failure = MENTOR_XML_NOMEM;
		return NULL;
	}

	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
	{
		out->failure = MENTOR_XML_NOMEM;
		return NULL;
	}
	ctxt->_private = &st;
	ctxt->sax->internalSubset = reject_doctype;
	ctxt->sax->serror = parser_error;
	doc = xmlCtxtReadMemory(ctxt, data, (int) len, NULL, encoding,
							XML_PARSE_NONET | XML_PARSE_BIG_LINES |
							XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (st.dtd)
		mentor_xml_refuse(out, MENTOR_XML_DTD, st.dtd_line,
						  "document type declarations (DOCTYPE) are not allowed");
	else if (doc == NULL || !ctxt->wellFormed)
	{
		MentorXmlError error = xmlCtxtGetLastError(ctxt);

		if (error != NULL && error->code == XML_ERR_NO_MEMORY)
			out_of_memory = true;
		mentor_xml_refuse(out, MENTOR_XML_MALFORMED, error ? error->line : 0,
						  error ? error->message : NULL);
	}
	else if (xmlDocGetRootElement(doc) == NULL)
		mentor_xml_refuse(out, MENTOR_XML_EMPTY, 1, "the document has no root element");
	xmlFreeParserCtxt(ctxt);

	if (out_of_memory)
		out->failure = MENTOR_XML_NOMEM;
	if (out->failure != MENTOR_XML_OK && doc != NULL)
	{
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

/*
 * After a core's parse: true when it failed (its own failure, or an
 * allocation that failed on the way), with the outcome moved to *kept so
 * that the caller can free everything the parse made and keep only that.
 */
bool
mentor_xml_failed(MentorXmlOutcome *outcome, MentorXmlOutcome *kept)
{
	if (!out_of_memory && outcome->failure == MENTOR_XML_OK)
		return false;
	*kept = *outcome;
	if (out_of_memory)
		kept->failure = MENTOR_XML_NOMEM;
	outcome->message = NULL;
	return true;
}

/*
 * Validate doc against schema, each error to handler(arg, error), after a
 * last look at should_stop (may be NULL).  False when the caller should go
 * no further: interrupted (noted in *out) or an allocation failed.
 */
bool
mentor_xml_validate(xmlDocPtr doc, xmlSchemaPtr schema, MentorXmlStop should_stop,
					xmlStructuredErrorFunc handler, void *arg,
					MentorXmlOutcome *out)
{
	xmlSchemaValidCtxtPtr vctxt;

	if (should_stop != NULL && should_stop())
	{
		out->failure = MENTOR_XML_INTERRUPTED;
		return false;
	}
	vctxt = xmlSchemaNewValidCtxt(schema);
	if (vctxt == NULL)
	{
		out_of_memory = true;
		return false;
	}
	xmlSchemaSetValidStructuredErrors(vctxt, handler, arg);
	xmlSchemaValidateDoc(vctxt, doc);
	xmlSchemaFreeValidCtxt(vctxt);
	return !out_of_memory;
}
