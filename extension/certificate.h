/*-------------------------------------------------------------------------
 *
 * certificate.h
 *	  Certificate validity and the certificate document (certificate.c).
 *
 * extension/certificate.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_CERTIFICATE_H
#define MENTOR_CERTIFICATE_H

#include "mentor.h"

extern bool mentor_has_valid_certificate(int64 employee_id, DateADT day);
extern bytea *mentor_exportable_document(int64 certificate_id, char **serial);
extern bool mentor_valid_certificate(int64 employee_id, DateADT day,
									 bool has_except, int64 except);

#endif							/* MENTOR_CERTIFICATE_H */
