/*-------------------------------------------------------------------------
 *
 * signing.h
 *	  The signer of certificate exports (signing_keys.c), for signing.c.
 *	  Kept apart from mentor.h so that only these files see OpenSSL.
 *
 * extension/signing.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MENTOR_SIGNING_H
#define MENTOR_SIGNING_H

#include <openssl/evp.h>
#include <openssl/x509.h>

typedef struct MentorSigner
{
	EVP_PKEY   *key;
	X509	   *cert;
	STACK_OF(X509) *chain;		/* possibly empty, never NULL once loaded */
} MentorSigner;

extern const MentorSigner *mentor_signer(void);
extern const char *mentor_openssl_error(void);

#endif							/* MENTOR_SIGNING_H */
