"""People on the registers (Annex 3 协调员, Annex 5 调解员): the columns both forms share."""

from __future__ import annotations


class RegisteredPerson:
    """Mixin for a Case whose creating event registers a person (姓名 性别 民族 身份证号码 工作单位 职务 学历 任职时间 联系电话)."""

    def register_person(
        self, name: str, gender: str, ethnicity: str, id_number: str, employer: str,
        position: str, education: str, appointed_on: str, phone: str,
    ) -> None:
        self.check_id_number(id_number)
        self.name = name
        self.gender = gender
        self.ethnicity = ethnicity
        self.id_number = id_number
        self.employer = employer
        self.position = position
        self.education = education
        self.appointed_on = appointed_on
        self.phone = phone
