"""The programme's value lists: code -> 中文 label.

The API stores and accepts the codes; registers and exports show the labels
(see ../shared/DOMAIN-NOTES.md for the source of each list). The JSON Schemas
take their enums from here, so a list is written once.
"""

from __future__ import annotations

# Annex 1: the 12 districts and the 3 city bodies, in the seed's order.
DISTRICTS = (
    "岳阳楼区", "君山区", "云溪区", "华容县", "湘阴县", "岳阳县",
    "平江县", "汨罗市", "临湘市", "经开区", "南湖新区", "屈原区",
)
CITY_BODIES = ("市人社局", "市总工会", "市工商联")
UNITS = DISTRICTS + CITY_BODIES
UNIT_ORDER = {unit: i for i, unit in enumerate(UNITS)}  # lists and registers go in the seed's order
CITY_OFFICE = "市人社局"  # the programme office (市协调劳动关系三方办公室 sits in the bureau)

# The ten action plans (十大计划), Annex 1 column order.
PLANS = {
    "P01": "集体协商提升",
    "P02": "重点企业指导",
    "P03": "和谐企业培育",
    "P04": "湘融湘爱推进",
    "P05": "企业薪酬指引",
    "P06": "新企用工服务",
    "P07": "协调员配备覆盖",
    "P08": "调解组织选树",
    "P09": "协调组织引导",
    "P10": "工资支付亮剑",
}

INDUSTRY = {  # GB/T 4754-2017 门类
    "A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业", "E": "建筑业", "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业", "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业", "J": "金融业", "K": "房地产业",
    "L": "租赁和商务服务业", "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业", "O": "居民服务、修理和其他服务业", "P": "教育",
    "Q": "卫生和社会工作", "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织", "T": "国际组织",
}

OWNERSHIP = {
    "state_owned": "国有", "collective": "集体", "private": "私营",
    "hmt_invested": "港澳台商投资", "foreign_invested": "外商投资",
    "individual_business": "个体工商户", "other": "其他",
}

GENDER = {"male": "男", "female": "女"}

ETHNICITY = {  # GB/T 3304-1991, two-digit codes
    "01": "汉族", "02": "蒙古族", "03": "回族", "04": "藏族", "05": "维吾尔族",
    "06": "苗族", "07": "彝族", "08": "壮族", "09": "布依族", "10": "朝鲜族",
    "11": "满族", "12": "侗族", "13": "瑶族", "14": "白族", "15": "土家族",
    "16": "哈尼族", "17": "哈萨克族", "18": "傣族", "19": "黎族", "20": "傈僳族",
    "21": "佤族", "22": "畲族", "23": "高山族", "24": "拉祜族", "25": "水族",
    "26": "东乡族", "27": "纳西族", "28": "景颇族", "29": "柯尔克孜族", "30": "土族",
    "31": "达斡尔族", "32": "仫佬族", "33": "羌族", "34": "布朗族", "35": "撒拉族",
    "36": "毛南族", "37": "仡佬族", "38": "锡伯族", "39": "阿昌族", "40": "普米族",
    "41": "塔吉克族", "42": "怒族", "43": "乌孜别克族", "44": "俄罗斯族", "45": "鄂温克族",
    "46": "德昂族", "47": "保安族", "48": "裕固族", "49": "京族", "50": "塔塔尔族",
    "51": "独龙族", "52": "鄂伦春族", "53": "赫哲族", "54": "门巴族", "55": "珞巴族",
    "56": "基诺族", "other": "其他",
}

EDUCATION = {
    "postgraduate": "研究生", "bachelor": "本科", "junior_college": "大专",
    "secondary_vocational": "中专/技校/职高", "senior_high": "高中",
    "junior_high_or_below": "初中及以下",
}

COORDINATOR_LEVEL = {
    "level_4": "四级/中级工", "level_3": "三级/高级工",
    "level_2": "二级/技师", "level_1": "一级/高级技师",
}
CERTIFICATE_TYPE = {
    "skill_level_certificate": "职业技能等级证书",
    "vocational_qualification": "职业资格证书（旧证）",
    "none": "未取证",
}

MEDIATION_NATURE = {
    "enterprise_committee": "企业劳动争议调解委员会",
    "people_mediation": "基层人民调解组织",
    "township_street_center": "乡镇（街道）劳动人事争议调解中心",
    "industry": "行业性劳动人事争议调解组织",
    "regional": "区域性劳动人事争议调解组织",
    "chamber_of_commerce": "商（协）会调解组织",
    "arbitration_court_center": "劳动人事争议仲裁院调解中心",
    "public_institution": "事业单位人事争议调解组织",
    "other": "其他",
}
SOCIAL_ORGANISATION_NATURE = {  # (unverified) registration-based list, see DOMAIN-NOTES 4
    "social_group": "社会团体",
    "social_service_agency": "社会服务机构（民办非企业单位）",
    "foundation": "基金会",
    "other": "其他",
}

ARREARS_CHANNEL = {
    "hotline_12345": "12345政务服务便民热线",
    "national_arrears_platform": "全国根治欠薪线索反映平台",
    "provincial_online": "湖南省人社厅“欠薪维权”",
    "inspection_complaint": "劳动保障监察投诉",
    "inspection_report": "劳动保障监察举报",
    "letters_visits": "来信来访",
    "media": "媒体反映/舆情",
    "inspection_found": "日常巡视检查/专项检查发现",
    "early_warning": "监控预警平台预警",
    "transferred": "上级交办/部门转送",
    "union": "工会反映",
    "other": "其他",
}
# How an arrears case ended (ArrearsCaseClosed.outcome); the handling steps of DOMAIN-NOTES 5.
ARREARS_OUTCOME = {
    "wages_recovered": "追回工资",
    "payment_ordered": "责令支付（行政处理决定）",
    "penalised": "行政处罚",
    "case_cancelled": "撤销立案",
    "transferred_out": "移送有关部门/告知走仲裁诉讼",
    "referred_to_police": "移送公安",
    "court_enforcement": "申请人民法院强制执行",
    "blacklisted": "列入失信联合惩戒对象名单",
    "advance_paid": "应急周转金先行垫付",
    "unfounded": "经查不属实",
}

STABILITY_POLICY = {
    "ui_job_retention_refund": "失业保险稳岗返还",
    "si_fee_exemption_2020": "阶段性减免社会保险费（2020）",
    "si_fee_deferral": "社会保险费缓缴",
    "reduced_insurance_rates": "阶段性降低失业、工伤保险费率",
    "work_for_training_subsidy": "以工代训补贴（2020）",
    "retention_training_subsidy": "一次性留工培训补助（2022）",
    "job_expansion_subsidy": "一次性扩岗补助（2022–2023）",
    "hiring_subsidy": "一次性吸纳就业补贴",
    "skill_upgrade_subsidy": "技能提升补贴（失业保险）",
    "other": "其他",
}
COMPENSATION_STANDARD = {
    "statutory_n": "法定经济补偿（N）",
    "n_plus_1": "N+1（含代通知金）",
    "above_statutory": "高于法定（协商）",
    "per_collective_agreement": "按集体合同约定",
    "double_n_unlawful": "2N 赔偿金（违法解除）",
    "undetermined": "未确定",
}
# 统计上大中小微型企业划分办法（2017）: recorded with an enterprise, or derived (domain/size_class.py)
SIZE_CLASS = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}

KEY_EMPLOYER_REASON = {
    "large_employer": "用工规模较大",
    "operating_difficulty": "生产经营困难",
    "layoff_risk": "有裁员苗头",
}
VISIT_METHOD = {
    "on_site": "实地指导", "phone": "电话", "online": "线上",
    "meeting": "座谈/会议", "training": "培训",
}
BARGAINING_SCOPE = {"enterprise": "企业", "industry": "行业性", "regional": "区域性"}
SELECTION_LEVEL = {"city": "市级", "provincial": "湖南省", "national": "国家"}
WAGE_GROUP = {
    "low_income": "低收入群体", "skilled": "技能人才", "sci_tech": "科技人才",
    "state_owned_reform": "国有企业市场化薪酬分配改革",
}
NEW_SERVICE_METHOD = {
    "online_push": "线上推送", "handbook": "用工指导手册/口袋书", "training": "政策培训班",
    "on_site": "实地指导", "purchased_service": "购买社会服务",
}
COOPERATION_CATEGORY = {
    "enterprise": "企业", "intermediary": "中介机构", "social_organisation": "社会组织",
}

# Every list above, by the name the JSON Schemas use in "$ref": "#/$defs/<name>".
ENUMS = {
    "unit": {u: u for u in UNITS},
    "plan": PLANS,
    "industry": INDUSTRY,
    "ownership": OWNERSHIP,
    "size_class": SIZE_CLASS,
    "gender": GENDER,
    "ethnicity": ETHNICITY,
    "education": EDUCATION,
    "coordinator_level": COORDINATOR_LEVEL,
    "certificate_type": CERTIFICATE_TYPE,
    "mediation_nature": MEDIATION_NATURE,
    "social_organisation_nature": SOCIAL_ORGANISATION_NATURE,
    "arrears_channel": ARREARS_CHANNEL,
    "arrears_outcome": ARREARS_OUTCOME,
    "stability_policy": STABILITY_POLICY,
    "compensation_standard": COMPENSATION_STANDARD,
    "key_employer_reason": KEY_EMPLOYER_REASON,
    "visit_method": VISIT_METHOD,
    "bargaining_scope": BARGAINING_SCOPE,
    "selection_level": SELECTION_LEVEL,
    "wage_group": WAGE_GROUP,
    "new_service_method": NEW_SERVICE_METHOD,
    "cooperation_category": COOPERATION_CATEGORY,
}

