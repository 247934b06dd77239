/*-------------------------------------------------------------------------
 *
 * signing.h
 *	  The signer of certificate exports (signing_keys.c) and its SignedData
 *	  (signed_data.c), for signing.c.
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

/* signed_data.c: what every SignedData of one RSA or EC key shares */
typedef struct SignedDataParts SignedDataParts;

typedef struct MentorSigner
{
	EVP_PKEY   *key;
	X509	   *cert;
	STACK_OF(X509) *chain;		/* possibly empty, never NULL once loaded */
	SignedDataParts *parts;		/* NULL: key type signed by the CMS API */
} MentorSigner;

extern const MentorSigner *mentor_signer(void);
extern const char *mentor_openssl_error(void);

extern SignedDataParts *mentor_signed_data_prepare(EVP_PKEY *key, X509 *cert,
												   STACK_OF(X509) *chain);
extern void mentor_signed_data_free(SignedDataParts *parts);
extern bytea *mentor_signed_data(SignedDataParts *parts, const char *content, int len);

#endif							/* MENTOR_SIGNING_H */
