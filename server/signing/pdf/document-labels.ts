import type { PartySide } from '#shared/cases.ts';
import type { SealedKind } from '#shared/documents.ts';
import type { DocumentLanguage, DocumentPdf } from './document-pdf-input.ts';

type SignedHow = Pick<DocumentPdf['signers'][number], 'method' | 'witness' | 'paperPhotoSha256'>;

/** The fixed words of a sealed document, in the document's language. */
export type DocumentLabels = {
	/** Each kind's name, its title and the reason its seal gives. */
	titles: Record<SealedKind, string>;
	/**
	 * Each signer's role as the document's signature lines name it ("申请人（签名）："): a party by
	 * their side, anyone else by what they sign as.
	 */
	roles: Record<PartySide | 'mediator' | 'expert' | 'recorder', string>;
	/** The line for a signer the document has no signature line for. */
	signatureLineFor: (role: string) => string;
	certificateTitle: string;
	/** What the certificate page says of how the document was signed and sealed. */
	certificateIntro: (kind: SealedKind, signed: boolean) => string;
	signer: string;
	signedAt: string;
	ip: string;
	device: string;
	/** How a signer signed, and the words for it. */
	method: string;
	signedHow: (signer: SignedHow) => string;
	textSha256: (kind: SealedKind) => string;
	verification: (kind: SealedKind) => string;
	page: (page: number, pages: number) => string;
	/** Never printed: what the case's record says of its resolution once the agreement is sealed. */
	record: { resolved: string };
};

const LABELS: Record<DocumentLanguage, DocumentLabels> = {
	'zh-CN': {
		titles: {
			agreement: '人民调解协议书',
			acceptance_register: '人民调解受理登记表',
			mediation_record: '人民调解记录',
			oral_agreement: '口头调解协议登记表',
			follow_up_record: '人民调解回访记录',
			case_file: '人民调解卷宗',
			judicial_confirmation: '人民调解协议司法确认申请书'
		},
		roles: {
			applicant: '申请人',
			respondent: '被申请人',
			mediator: '人民调解员',
			expert: '法律顾问',
			recorder: '记录人'
		},
		signatureLineFor: (role) => `${role}（签名）：`,
		certificateTitle: '签署证书',
		certificateIntro: (kind, signed) =>
			signed
				? `本${kind === 'agreement' ? '协议' : '文书'}由以下各方以电子方式签署，并由调解组织加盖电子印章。`
				: '本文书由调解组织以电子方式制作，并加盖电子印章。',
		signer: '签署人',
		signedAt: '签署时间',
		ip: 'IP 地址',
		device: '设备',
		method: '签署方式',
		signedHow: ({ method, witness, paperPhotoSha256 }) =>
			({
				own_device: '本人设备签署',
				in_person_pin: `在调解员 ${witness} 设备上当面签署（PIN 验证）`,
				in_person_password: `在调解员 ${witness} 设备上当面签署（密码验证）`,
				attested: `调解员 ${witness} 见证，纸质签名照片 SHA-256 ${paperPhotoSha256}`
			})[method],
		textSha256: (kind) => `${kind === 'agreement' ? '协议' : '文书'}文本 SHA-256`,
		verification: (kind) => `扫码或访问以下地址验证本${kind === 'agreement' ? '协议' : '文书'}`,
		page: (page, pages) => `第 ${page} 页 / 共 ${pages} 页`,
		record: { resolved: '人民调解协议书已由各方签署并盖章。' }
	},
	en: {
		titles: {
			agreement: "People's Mediation Agreement",
			acceptance_register: "People's Mediation Acceptance Register",
			mediation_record: "People's Mediation Record",
			oral_agreement: 'Register of an Oral Mediation Agreement',
			follow_up_record: "People's Mediation Follow-up Record",
			case_file: "People's Mediation Case File",
			judicial_confirmation: "Application for Judicial Confirmation of a People's Mediation Agreement"
		},
		roles: {
			applicant: 'Applicant',
			respondent: 'Respondent',
			mediator: 'Mediator',
			expert: 'Legal expert',
			recorder: 'Recorder'
		},
		signatureLineFor: (role) => `${role} (signature):`,
		certificateTitle: 'Signing certificate',
		certificateIntro: (kind, signed) =>
			signed
				? `This ${kind === 'agreement' ? 'agreement' : 'document'} was signed electronically by the signers below and sealed by the mediation committee.`
				: 'This document was made electronically and sealed by the mediation committee.',
		signer: 'Signer',
		signedAt: 'Signed at',
		ip: 'IP address',
		device: 'Device',
		method: 'How signed',
		signedHow: ({ method, witness, paperPhotoSha256 }) =>
			({
				own_device: 'On their own device',
				in_person_pin: `In person on mediator ${witness}'s device (PIN checked)`,
				in_person_password: `In person on mediator ${witness}'s device (password checked)`,
				attested: `Attested by mediator ${witness}; photo of the paper signature SHA-256 ${paperPhotoSha256}`
			})[method],
		textSha256: (kind) => `SHA-256 of the ${kind === 'agreement' ? 'agreement' : 'document'} text`,
		verification: (kind) =>
			`Scan the code or open this address to verify the ${kind === 'agreement' ? 'agreement' : 'document'}`,
		page: (page, pages) => `Page ${page} of ${pages}`,
		record: { resolved: "The people's mediation agreement was signed by every party and sealed." }
	}
};

export const documentLabels = (language: DocumentLanguage): DocumentLabels => LABELS[language];
