/** The object identifiers a PAdES seal is made of and read by. */
export const OID = {
	data: '1.2.840.113549.1.7.1',
	signedData: '1.2.840.113549.1.7.2',
	contentType: '1.2.840.113549.1.9.3',
	messageDigest: '1.2.840.113549.1.9.4',
	/** Signing time: the baseline profile forbids it in the signed attributes (the time is the dictionary's /M). */
	signingTime: '1.2.840.113549.1.9.5',
	/** ESS signing-certificate-v2 (RFC 5035): binds the signer's certificate to the signature. */
	signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
	/** The RFC 3161 token over the signature value, in the unsigned attributes (B-T). */
	signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
	tstInfo: '1.2.840.113549.1.9.16.1.4',
	sha256: '2.16.840.1.101.3.4.2.1',
	/** Extended key usage: time stamping, which a timestamp authority's certificate must carry. */
	timeStamping: '1.3.6.1.5.5.7.3.8',
	extendedKeyUsage: '2.5.29.37',
	crlDistributionPoints: '2.5.29.31',
	organisation: '2.5.4.10',
	commonName: '2.5.4.3'
} as const;

/** Node's name of each digest algorithm a seal or a timestamp may use. */
export const DIGESTS: Record<string, string> = {
	'1.3.14.3.2.26': 'sha1',
	'2.16.840.1.101.3.4.2.1': 'sha256',
	'2.16.840.1.101.3.4.2.2': 'sha384',
	'2.16.840.1.101.3.4.2.3': 'sha512'
};
