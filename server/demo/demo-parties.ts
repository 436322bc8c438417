import { PDFDocument, StandardFonts } from 'pdf-lib';
import { creditCodeCheckCharacter } from '#shared/credit-code.ts';
import { residentIdCheckCharacter } from '#shared/resident-id.ts';

/** A demo person's details as a form would send them; the ID number is made from them. */
type DemoPerson = {
	gender: 'male' | 'female';
	birthDate: string;
	ethnicity: string;
	occupation: string;
	address?: string;
	workplace?: string;
};

/** Everyone in the demo cases. 刘大伟 comes twice; he gives his workplace, so his home is not taken for a repeating household. */
const PEOPLE: Record<string, DemoPerson> = {
	刘大伟: {
		gender: 'male',
		birthDate: '1972-04-18',
		ethnicity: '01',
		occupation: '农机手',
		workplace: '青石镇农机服务站'
	},
	孙建国: { gender: 'male', birthDate: '1948-10-02', ethnicity: '01', occupation: '农民', address: '东村三组17号' },
	周桂兰: { gender: 'female', birthDate: '1959-07-21', ethnicity: '01', occupation: '农民', address: '东村一组8号' },
	吴长海: { gender: 'male', birthDate: '1965-01-30', ethnicity: '01', occupation: '农民', address: '东村一组10号' },
	郑小红: { gender: 'female', birthDate: '1990-12-05', ethnicity: '15', occupation: '营业员', address: '西村12号' },
	王大山: { gender: 'male', birthDate: '1963-03-14', ethnicity: '01', occupation: '退休工人', address: '西村14号' },
	何春梅: {
		gender: 'female',
		birthDate: '1978-09-09',
		ethnicity: '01',
		occupation: '教师',
		workplace: '青石镇中心小学'
	},
	何春生: {
		gender: 'male',
		birthDate: '1975-05-23',
		ethnicity: '01',
		occupation: '货车司机',
		address: '南湾社区何家湾22号'
	},
	陈桂芳: { gender: 'female', birthDate: '1955-11-11', ethnicity: '03', occupation: '退休', address: '东村二组4号' },
	林志强: {
		gender: 'male',
		birthDate: '1985-08-08',
		ethnicity: '01',
		occupation: '个体经营者',
		address: '东村二组商业街9号'
	},
	钱小兵: { gender: 'male', birthDate: '1996-02-17', ethnicity: '07', occupation: '养殖工人', address: '东村二组21号' },
	黄志明: { gender: 'male', birthDate: '1980-06-30', ethnicity: '01', occupation: '装修工', address: '南湾社区5栋2号' },
	周晓梅: {
		gender: 'female',
		birthDate: '1988-04-04',
		ethnicity: '01',
		occupation: '会计',
		workplace: '青石镇农村信用社'
	},
	吴国庆: { gender: 'male', birthDate: '1970-12-12', ethnicity: '01', occupation: '个体户', address: '东村二组30号' },
	// The cases of the mediation record, the office session and the oral agreement.
	赵春兰: { gender: 'female', birthDate: '1968-03-08', ethnicity: '01', occupation: '农民', address: '西村一组6号' },
	钱国华: { gender: 'male', birthDate: '1966-10-20', ethnicity: '01', occupation: '养殖户', address: '西村一组11号' },
	郑桂兰: { gender: 'female', birthDate: '1951-05-16', ethnicity: '01', occupation: '农民', address: '东村一组3号' },
	郑国强: {
		gender: 'male',
		birthDate: '1976-09-01',
		ethnicity: '01',
		occupation: '外出务工人员',
		address: '东村一组5号'
	},
	孙桂兰: { gender: 'female', birthDate: '1962-02-14', ethnicity: '01', occupation: '农民', address: '东村一组15号' },
	马德福: { gender: 'male', birthDate: '1958-07-07', ethnicity: '03', occupation: '农民', address: '东村一组16号' },
	// The closed case with its whole file.
	李秀英: { gender: 'female', birthDate: '1964-06-21', ethnicity: '01', occupation: '果农', address: '西村一组2号' },
	陈志强: { gender: 'male', birthDate: '1979-03-02', ethnicity: '01', occupation: '运输户', address: '西村一组9号' }
};

/** Organisations among the parties, by name: a credit code is made for each. */
const ORGANISATIONS: Record<string, { representative: string; address: string; organisationCode: string }> = {
	青石镇冯记生态养殖场: { representative: '冯德旺', address: '东村二组养殖小区1号', organisationCode: 'MA2H7K3L5' }
};

const REGION = '330102';

/** A resident ID number for a demo person, with a right check character: the n-th registered on their birthday. */
function demoIdNumber(person: DemoPerson, n: number): string {
	const sequence = String(n * 2 + (person.gender === 'male' ? 1 : 0)).padStart(3, '0');
	const first17 = `${REGION}${person.birthDate.replaceAll('-', '')}${sequence}`;
	return first17 + residentIdCheckCharacter(first17);
}

/** A credit code of an individual business (92) registered in the demo's region. */
function demoCreditCode(organisationCode: string): string {
	const first17 = `92${REGION}${organisationCode}`;
	return first17 + creditCodeCheckCharacter(first17);
}

/** A demo party as the intake form sends it, with every detail the documents need. */
export function demoParty(name: string, phone: string): Record<string, string> {
	const organisation = ORGANISATIONS[name];
	if (organisation)
		return {
			kind: 'organisation',
			name,
			phone,
			creditCode: demoCreditCode(organisation.organisationCode),
			representative: organisation.representative,
			representativeRole: 'person_in_charge',
			address: organisation.address
		};
	const person = PEOPLE[name];
	const n = Object.keys(PEOPLE).indexOf(name) + 1;
	return { kind: 'person', name, phone, idNumber: demoIdNumber(person, n), ...person };
}

/** A one-page power of attorney to stand for the scan a real agent hands in. */
export async function demoPowerOfAttorney(): Promise<File> {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	const page = pdf.addPage([420, 595]);
	page.drawText('Power of attorney (demo scan)', { x: 40, y: 540, size: 16, font });
	page.drawText('Principal: Sun Jianguo. Agent: Sun Xiaojun. General authority.', { x: 40, y: 500, size: 10, font });
	return new File([new Uint8Array(await pdf.save())], '授权委托书.pdf', { type: 'application/pdf' });
}
