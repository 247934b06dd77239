/*-------------------------------------------------------------------------
 *
 * xml_writer.c
 *	  Writing the documents the extension signs with libxml2's
 *	  xmlTextWriter, never by hand: the same data gives the same bytes
 *	  (UTF-8, an XML declaration, a final newline), and text and attribute
 *	  values are escaped by the library.
 *
 * The body runs inside PostgreSQL's libxml2 set-up (mentor_xml_guarded)
 * with nothing between the writer's creation and its release that can
 * raise an error: whatever libxml2 allocated is freed on every path, and
 * the bytes are copied out with the one palloc that cannot raise.
 *
 * xml/xml_writer.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include "mentor.h"
#include "xml_import.h"
#include "xml_writer.h"

typedef struct WriteJob
{
	MentorXmlBody body;
	const void *arg;
	char	   *bytes;			/* varlena, header unset; NULL on failure */
	int			len;
} WriteJob;

static void
write_guarded(void *arg)
{
	WriteJob   *job = (WriteJob *) arg;
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	int			rc = w ? job->body(w, job->arg) : -1;

	if (w)
		xmlFreeTextWriter(w);	/* flushes into buf */
	if (rc >= 0 && buf)
	{
		job->len = xmlBufferLength(buf);
		job->bytes = palloc_extended(job->len + VARHDRSZ, MCXT_ALLOC_NO_OOM);
		if (job->bytes)
			memcpy(job->bytes + VARHDRSZ, xmlBufferContent(buf), job->len);
	}
	if (buf)
		xmlBufferFree(buf);
}

/* the document body writes, as bytea; NULL if libxml2 failed (memory) */
bytea *
mentor_xml_write(MentorXmlBody body, const void *arg)
{
	WriteJob	job = {body, arg, NULL, 0};

	mentor_xml_guarded(write_guarded, &job);
	if (job.bytes == NULL)
		return NULL;
	SET_VARSIZE(job.bytes, job.len + VARHDRSZ);
	return (bytea *) job.bytes;
}

/* a server-encoded string in UTF-8 (NULL stays NULL) */
const char *
mentor_xml_utf8(const char *s)
{
	return s ? pg_server_to_any(s, strlen(s), PG_UTF8) : NULL;
}

/* <name>value</name>; NULL writes an empty element */
int
mentor_xml_write_element(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST(value ? value : ""));
}

/* name="value" on the open element; NULL writes "" */
int
mentor_xml_write_attribute(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST(value ? value : ""));
}

/* <tag personnelNo="..."><fullName>...</fullName></tag> */
int
mentor_xml_write_person(xmlTextWriterPtr w, const char *tag,
						const char *personnel_no, const char *full_name)
{
	if (xmlTextWriterStartElement(w, BAD_CAST tag) < 0 ||
		mentor_xml_write_attribute(w, "personnelNo", personnel_no) < 0 ||
		mentor_xml_write_element(w, "fullName", full_name) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}
