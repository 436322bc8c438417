import type { AcceptanceSource, CaseChannel, DisputeType } from '#shared/cases.ts';
import type { AgentScope, IdDocumentType, RepresentativeRole } from '#shared/party-details.ts';

/**
 * The words the documents of record print for the case's coded fields. Those documents are in
 * Chinese, as the committee's files are (`seal-case-document.ts`); the pages say the same through
 * the i18n messages.
 */
export const RECORD_WORDS = {
	disputeTypes: {
		land: '土地纠纷',
		neighbour: '邻里纠纷',
		family: '婚姻家庭纠纷',
		damage_compensation: '损害赔偿纠纷',
		labour: '劳动纠纷',
		contract: '合同纠纷',
		other: '其他纠纷'
	} satisfies Record<DisputeType, string>,
	acceptanceSources: {
		party_application: '当事人申请',
		committee_initiative: '调委会主动调解',
		police_referral: '公安移交',
		court_referral: '法院委托',
		government_assignment: '政府指定',
		grid_report: '网格员上报'
	} satisfies Record<AcceptanceSource, string>,
	channels: {
		online: '网上申请',
		grid_report: '网格员上报',
		walk_in: '来访登记',
		referral: '转交'
	} satisfies Record<CaseChannel, string>,
	genders: { male: '男', female: '女' },
	idTypes: {
		resident_id: '居民身份证',
		residence_permit: '港澳台居民居住证',
		hk_macao_pass: '港澳居民来往内地通行证',
		taiwan_pass: '台湾居民来往大陆通行证',
		passport: '护照',
		foreign_permanent_id: '外国人永久居留身份证'
	} satisfies Record<IdDocumentType, string>,
	representativeRoles: {
		legal_representative: '法定代表人',
		person_in_charge: '负责人'
	} satisfies Record<RepresentativeRole, string>,
	agentScopes: { general: '一般授权', special: '特别授权' } satisfies Record<AgentScope, string>
};

/** A day as the documents date it: 2026年12月6日, in the committee's zone. */
export const recordDate = (at: Date): string =>
	new Intl.DateTimeFormat('zh-CN', { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(at);
