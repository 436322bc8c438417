import * as pkijs from 'pkijs';
import { OID } from './cms-oids.ts';
import { readBoundedBody } from './read-bounded-body.ts';

/** A CRL server slower than this is skipped: the seal goes without that list. */
const TIMEOUT_MS = 10_000;
/** A town's CA publishes small lists; anything larger is not fetched whole. */
const MAX_CRL_BYTES = 2 * 1024 * 1024;

/** The http(s) addresses a certificate's CRL distribution points name. */
function distributionPoints(certificate: pkijs.Certificate): string[] {
	const extension = certificate.extensions?.find((item) => item.extnID === OID.crlDistributionPoints);
	if (!(extension?.parsedValue instanceof pkijs.CRLDistributionPoints)) return [];
	return extension.parsedValue.distributionPoints.flatMap((point) =>
		Array.isArray(point.distributionPoint)
			? point.distributionPoint
					.filter((name) => name.type === 6 && /^https?:\/\//.test(String(name.value)))
					.map((name) => String(name.value))
			: []
	);
}

async function fetchCrl(url: string, issuer: pkijs.Certificate['issuer']): Promise<Uint8Array | null> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
		if (!response.ok) return null;
		const bytes = await readBoundedBody(response, MAX_CRL_BYTES);
		// Kept only when it is the list of the certificate's own issuer.
		return pkijs.CertificateRevocationList.fromBER(bytes).issuer.isEqual(issuer) ? bytes : null;
	} catch {
		return null;
	}
}

/**
 * The revocation lists of the certificates a CA issued (a self-signed seal has none), fetched
 * from their distribution points: the revocation data of PAdES B-LT. A list that cannot be had
 * is left out rather than holding up the seal.
 */
export async function fetchRevocationLists(certificates: Uint8Array[]): Promise<Uint8Array[]> {
	const lists: Uint8Array[] = [];
	for (const der of certificates) {
		const certificate = pkijs.Certificate.fromBER(new Uint8Array(der));
		if (certificate.subject.isEqual(certificate.issuer)) continue;
		for (const url of distributionPoints(certificate)) {
			const crl = await fetchCrl(url, certificate.issuer);
			if (crl) {
				lists.push(crl);
				break;
			}
		}
	}
	return lists;
}
