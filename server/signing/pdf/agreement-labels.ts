import type { PartySide } from '#shared/cases.ts';
import type { AgreementLanguage } from './agreement-pdf-input.ts';

/** The fixed words of an agreement, in the agreement's language. */
export type AgreementLabels = {
	title: string;
	/**
	 * Each signer's role as the document's signature lines name it ("申请人（签名）："): a party by
	 * their side, anyone else by what they sign as.
	 */
	roles: Record<PartySide | 'mediator' | 'expert', string>;
	/** The line for a signer the document has no signature line for. */
	signatureLineFor: (role: string) => string;
	certificateTitle: string;
	certificateIntro: string;
	signer: string;
	signedAt: string;
	ip: string;
	device: string;
	textSha256: string;
	verification: string;
	sealReason: string;
	page: (page: number, pages: number) => string;
	/** Never printed: what the case's record says of its resolution once the agreement is sealed. */
	record: { resolved: string };
};

const LABELS: Record<AgreementLanguage, AgreementLabels> = {
	'zh-CN': {
		title: '人民调解协议书',
		roles: { applicant: '申请人', respondent: '被申请人', mediator: '人民调解员', expert: '法律顾问' },
		signatureLineFor: (role) => `${role}（签名）：`,
		certificateTitle: '签署证书',
		certificateIntro: '本协议由以下各方以电子方式签署，并由调解组织加盖电子印章。',
		signer: '签署人',
		signedAt: '签署时间',
		ip: 'IP 地址',
		device: '设备',
		textSha256: '协议文本 SHA-256',
		verification: '扫码或访问以下地址验证本协议',
		sealReason: '人民调解协议书',
		page: (page, pages) => `第 ${page} 页 / 共 ${pages} 页`,
		record: { resolved: '人民调解协议书已由各方签署并盖章。' }
	},
	en: {
		title: "People's Mediation Agreement",
		roles: { applicant: 'Applicant', respondent: 'Respondent', mediator: 'Mediator', expert: 'Legal expert' },
		signatureLineFor: (role) => `${role} (signature):`,
		certificateTitle: 'Signing certificate',
		certificateIntro:
			'This agreement was signed electronically by the signers below and sealed by the mediation committee.',
		signer: 'Signer',
		signedAt: 'Signed at',
		ip: 'IP address',
		device: 'Device',
		textSha256: 'SHA-256 of the agreement text',
		verification: 'Scan the code or open this address to verify the agreement',
		sealReason: 'Mediation agreement',
		page: (page, pages) => `Page ${page} of ${pages}`,
		record: { resolved: "The people's mediation agreement was signed by every party and sealed." }
	}
};

export const agreementLabels = (language: AgreementLanguage): AgreementLabels => LABELS[language];
