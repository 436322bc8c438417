import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import type { AgreementPdfInput } from '#server/signing/agreement-pdf-input.ts';

/** Agreements, signatures and seals for the signing specs and the signing benchmark. */

/**
 * A signature image: a real PNG with ink on a transparent ground. A QR code of the signer's name
 * stands in for a drawn stroke; what matters to the PDF is that it is a PNG.
 */
const signaturePng = async (name: string): Promise<Uint8Array> =>
	new Uint8Array(
		await QRCode.toBuffer(name, { type: 'png', margin: 1, color: { dark: '#141440ff', light: '#00000000' } })
	);

const SIGNATURES = {
	张三: await signaturePng('张三'),
	李四: await signaturePng('李四'),
	王五: await signaturePng('王五')
};

export const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

const CLAUSES = [
	'被申请人李四于2026年12月31日前以银行转账方式向申请人张三一次性支付赔偿款人民币12,000元（大写：壹万贰仟元整）。',
	'申请人张三收到上述款项后，不再就本次纠纷向被申请人主张任何权利；双方就排水沟的维护另行约定：每年5月由双方共同清理。',
	'本协议一式三份，各方当事人各执一份，调解委员会留存一份，具有同等法律效力（Version 2.1, see https://example.org/terms）。'
];

/** The frozen text of an ordinary agreement, as `canonicalText` gives it. */
export function agreementText(extraParagraphs: string[] = []): string {
	return (
		[
			'人民调解协议书',
			'编号：2026-QSZ-000123',
			'当事人',
			'申请人：张三，男，1970年5月出生，住青山镇东村3组。',
			'被申请人：李四，男，1968年2月出生，住青山镇东村3组。',
			'纠纷主要事实、争议事项',
			'2026年7月，因连日降雨，被申请人修建的围墙阻断排水沟，致申请人房屋进水，家具受损。双方就赔偿数额发生争议。',
			...extraParagraphs,
			'经调解，自愿达成如下协议',
			...CLAUSES.map((clause, index) => `${index + 1}. ${clause}`),
			'   （本条款的补充说明：款项支付以银行到账时间为准。）',
			'履行方式、时限',
			'被申请人于2026年12月31日前以银行转账方式履行完毕。',
			'申请人（签名）：',
			'被申请人（签名）：'
		].join('\n') + '\n'
	);
}

/** An agreement ready to print: two parties and a mediator signing. */
export function agreementInput(overrides: Partial<AgreementPdfInput> = {}): AgreementPdfInput {
	const text = overrides.text ?? agreementText();
	return {
		language: 'zh-CN',
		title: '人民调解协议书',
		caseNumber: '2026-QSZ-000123',
		committee: '青山镇人民调解委员会',
		parties: [
			{ name: '张三', role: '申请人' },
			{ name: '李四', role: '被申请人' }
		],
		text,
		signers: [
			{
				name: '张三',
				role: '申请人',
				signature: SIGNATURES.张三,
				signedAt: new Date('2026-11-29T02:10:00Z'),
				ip: '203.0.113.7',
				device: 'Chrome / Android'
			},
			{
				name: '李四',
				role: '被申请人',
				signature: SIGNATURES.李四,
				signedAt: new Date('2026-11-29T02:12:30Z'),
				ip: '198.51.100.23',
				device: '微信 / iOS'
			},
			{
				name: '王五',
				role: '人民调解员',
				signature: SIGNATURES.王五,
				signedAt: new Date('2026-11-29T02:15:00Z'),
				ip: '192.0.2.10',
				device: 'Firefox / Linux'
			}
		],
		textSha256: sha256(text),
		verificationUrl: 'https://tiaojie.example.org/verify?sha256=' + sha256(text),
		...overrides
	};
}

export const SEAL_PASSPHRASE = 'correct horse battery staple';
