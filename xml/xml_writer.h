/*-------------------------------------------------------------------------
 *
 * xml_writer.h
 *	  The documents the extension signs (certificate, admission), written
 *	  by libxml2's xmlTextWriter: escaping, encoding and markup are the
 *	  library's.
 *
 * xml/xml_writer.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_XML_WRITER_H
#define MENTOR_XML_WRITER_H

#include <libxml/xmlwriter.h>

/*
 * A document's body: libxml2 writer calls only (nothing that can raise an
 * error), returning < 0 on failure as libxml2's calls do.  Strings are
 * UTF-8 (mentor_xml_utf8 converts before writing starts).
 */
typedef int (*MentorXmlBody) (xmlTextWriterPtr w, const void *arg);

extern bytea *mentor_xml_write(MentorXmlBody body, const void *arg);
extern const char *mentor_xml_utf8(const char *s);
extern int	mentor_xml_write_element(xmlTextWriterPtr w, const char *name,
									 const char *value);
extern int	mentor_xml_write_attribute(xmlTextWriterPtr w, const char *name,
									   const char *value);
extern int	mentor_xml_write_person(xmlTextWriterPtr w, const char *tag,
									const char *personnel_no,
									const char *full_name);

#endif							/* MENTOR_XML_WRITER_H */
