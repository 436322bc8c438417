import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids.ts';

/** Who seals: the key (WebCrypto, RSA PKCS #1 v1.5 with SHA-256), its certificate and the issuers', as DER. */
export type CmsSigner = { privateKey: CryptoKey; certificate: Uint8Array; chain: Uint8Array[] };

/** Asks a timestamp authority for a token over the signature value; null when it gave none. */
export type StampSignature = (signature: Uint8Array) => Promise<Uint8Array | null>;

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());
const bytesOf = (buffer: ArrayBuffer | ArrayBufferView) =>
	buffer instanceof ArrayBuffer
		? new Uint8Array(buffer)
		: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });

/**
 * ESS signing-certificate-v2 naming the signer's certificate by its SHA-256 (the default hash,
 * so not written) and by its issuer and serial number.
 */
function signingCertificateV2(certificate: pkijs.Certificate, der: Uint8Array): asn1js.Sequence {
	const issuerSerial = new pkijs.IssuerSerial({
		issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: certificate.issuer })] }),
		serialNumber: certificate.serialNumber
	});
	const essCertIdV2 = new asn1js.Sequence({
		value: [new asn1js.OctetString({ valueHex: sha256(der) }), issuerSerial.toSchema()]
	});
	return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/**
 * A detached CMS signature of `content` in the PAdES baseline profile (ETSI EN 319 142-1, B-B):
 * signed attributes content-type, message-digest and ESS signing-certificate-v2, no signing
 * time; the certificates included. With `stamp`, a signature timestamp joins the unsigned
 * attributes (B-T). Returns the DER of the ContentInfo.
 */
export async function signCms(content: Uint8Array, signer: CmsSigner, stamp?: StampSignature): Promise<Uint8Array> {
	const certificate = pkijs.Certificate.fromBER(new Uint8Array(signer.certificate));
	const signedData = new pkijs.SignedData({
		version: 1,
		encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
		signerInfos: [
			new pkijs.SignerInfo({
				version: 1,
				sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
				signedAttrs: new pkijs.SignedAndUnsignedAttributes({
					type: 0,
					attributes: [
						attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
						attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: sha256(content) })),
						attribute(OID.signingCertificateV2, signingCertificateV2(certificate, signer.certificate))
					]
				})
			})
		],
		certificates: [certificate, ...signer.chain.map((der) => pkijs.Certificate.fromBER(new Uint8Array(der)))]
	});
	await signedData.sign(signer.privateKey, 0, 'SHA-256');
	if (stamp) {
		const [signerInfo] = signedData.signerInfos;
		const token = await stamp(bytesOf(signerInfo.signature.valueBlock.valueHexView));
		if (token) {
			signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
				type: 1,
				attributes: [attribute(OID.signatureTimeStampToken, asn1js.fromBER(token).result)]
			});
		}
	}
	const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
	return bytesOf(contentInfo.toSchema().toBER(false));
}
