import type { AgreementBlock } from '#shared/agreement.ts';
import { CLAUSE_REASONS, type DecidedClause } from '#shared/judicial.ts';
import { maskIdNumber } from '#shared/party-details.ts';
import type { caseParties } from '../db/schema.ts';
import { partyParticulars } from '../documents/party-particulars.ts';
import { recordDate, RECORD_WORDS } from '../documents/record-words.ts';

type Party = typeof caseParties.$inferSelect;

/** What the application prints: the parties with what they confirmed, the committee, the court, the agreement. */
export type PacketFacts = {
	caseNumber: string;
	committee: string;
	mediators: string[];
	court: { name: string; address: string; phone: string };
	note: string | null;
	clauses: DecidedClause[];
	agreement: { sealedAt: Date; pages: number; sha256: string };
	applicants: { party: Party; serviceAddress: string; servicePhone: string }[];
};

const paragraph = (text: string): AgreementBlock => ({ prefix: '', text });
const heading = (text: string): AgreementBlock => ({ prefix: '', text, heading: 2 });
const item = (index: number, text: string): AgreementBlock => ({ prefix: `${index + 1}. `, text });
const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const applicantLabel = (index: number) => `申请人${numerals[index] ?? index + 1}`;

/** A party's particulars as the application prints them: both sides apply, and an ID number shows masked. */
function particulars(party: Party, index: number): AgreementBlock {
	const masked = { ...party, idNumber: party.idNumber && maskIdNumber(party.idNumber) };
	const text = partyParticulars(masked).text.replace(/^\S+\u3000/u, '');
	return { prefix: '', text: `${applicantLabel(index)}\u3000${text}` };
}

/** The identity and standing proofs the court asks for, from the party's details (身份证明、授权委托书). */
function identityProofs(party: Party): string {
	const proofs =
		party.kind === 'organisation'
			? [
					`营业执照或登记证书（统一社会信用代码：${party.creditCode ?? '未登记'}）`,
					party.representative &&
						`${RECORD_WORDS.representativeRoles[party.representativeRole ?? 'legal_representative']}身份证明书（${party.representative}）`
				]
			: [
					party.idType && party.idNumber
						? `${RECORD_WORDS.idTypes[party.idType]}（${maskIdNumber(party.idNumber)}）`
						: '身份证件（未登记，请补交）'
				];
	const agent = party.agentName
		? [
				`委托代理人 ${party.agentName}${party.agentScope ? `（${RECORD_WORDS.agentScopes[party.agentScope]}）` : ''}的授权委托书${party.agentPowerOfAttorneyFilename ? `（已上传：${party.agentPowerOfAttorneyFilename}）` : '（未上传，请补交）'}及其身份证件`
			]
		: [];
	return [...proofs, ...agent].filter(Boolean).join('；');
}

/** The clause numbers left out of the application, as the request names them. */
function excludedNote(clauses: DecidedClause[]): string {
	const excluded = clauses.filter((clause) => clause.decision === 'exclude');
	if (!excluded.length) return '';
	return `（下列条款除外：${excluded.map((clause) => `“${clause.text.slice(0, 40)}${clause.text.length > 40 ? '…' : ''}”`).join('、')}）`;
}

/**
 * The joint application (人民调解协议司法确认申请书) as blocks, in the order a court's form has it:
 * the applicants, the committee and the agreement, the court, the request, the facts and reasons,
 * the flagged clauses and what was decided, the undertaking, the service addresses, the identity
 * proofs, the attachments, and the signature line.
 */
export function packetBlocks(facts: PacketFacts): AgreementBlock[] {
	const effective = recordDate(facts.agreement.sealedAt);
	const names = facts.applicants.map(({ party }) => party.name).join('、');
	return [
		heading('申请人'),
		...facts.applicants.map(({ party }, index) => particulars(party, index)),
		heading('调解组织'),
		paragraph(
			`${facts.committee}${facts.mediators.length ? `，人民调解员：${facts.mediators.join('、')}` : ''}。案件编号：${facts.caseNumber}。`
		),
		heading('受理法院'),
		paragraph(`${facts.court.name}（地址：${facts.court.address}；电话：${facts.court.phone}）`),
		heading('请求事项'),
		paragraph(
			`请求人民法院依法确认申请人${names}于${effective}经${facts.committee}主持调解达成的《人民调解协议书》有效${excludedNote(facts.clauses)}。`
		),
		heading('事实和理由'),
		paragraph(
			`申请人之间的纠纷经${facts.committee}调解，于${effective}达成人民调解协议，协议自各方签名并加盖调解委员会印章之日起生效。该协议是申请人的真实意思表示，内容不违反法律、行政法规的强制性规定，不损害国家利益、社会公共利益和他人合法权益。申请人依据《中华人民共和国人民调解法》第三十三条和《中华人民共和国民事诉讼法》关于确认调解协议案件的规定，自调解协议生效之日起三十日内共同向人民法院申请司法确认。`
		),
		...(facts.clauses.length
			? [
					heading('不属于司法确认范围的条款'),
					...facts.clauses.map((clause, index) =>
						item(
							index,
							`“${clause.text}”\n理由：${clause.flags.map((flag) => CLAUSE_REASONS[flag]).join('；')}。\n处理：${clause.decision === 'exclude' ? '不列入本次申请确认的范围。' : `仍列入申请，调解员说明：${clause.reason}`}`
						)
					)
				]
			: []),
		...(facts.note ? [heading('其他说明'), paragraph(facts.note)] : []),
		heading('申请人承诺'),
		paragraph(
			'申请人保证出于解决纠纷的目的申请司法确认，调解协议不存在恶意串通、规避法律的情形，不损害国家利益、社会公共利益和案外人的合法权益；所提交的材料真实、合法。如有虚假，愿意承担相应的法律责任。'
		),
		heading('送达地址确认'),
		...facts.applicants.map(({ party, serviceAddress, servicePhone }, index) =>
			item(index, `${party.name}：送达地址 ${serviceAddress}；联系电话 ${servicePhone}`)
		),
		paragraph(
			'申请人确认上述地址和电话为人民法院送达法律文书的地址和联系方式；地址变更的，将及时书面告知人民法院，未告知的，按上述地址送达即视为送达。'
		),
		heading('身份证明材料清单'),
		...facts.applicants.map(({ party }, index) => item(index, `${party.name}：${identityProofs(party)}`)),
		heading('附件'),
		item(
			0,
			`《人民调解协议书》一份，共 ${facts.agreement.pages} 页，附于本申请书之后（加盖电子印章的原件 SHA-256：${facts.agreement.sha256}）`
		),
		item(1, '上列身份证明材料及授权委托书'),
		item(2, '涉及财产权利的，相关权利证明材料'),
		paragraph('\u3000\u3000此致'),
		paragraph(facts.court.name),
		paragraph('申请人（签名）：')
	];
}
