"""The values the corpus tests fill: dictionary key (contract C1) -> value as a planner gives it
(a choice as its option text, a bool as "true"/"false", a date as YYYY-MM-DD)."""

VALUES: dict[str, str] = {
    "person.name": "王小明",
    "person.phone": "13812345678",
    "org.village": "幸福村",
    "household.head_name": "张建国",
    "household.head_id_number": "11010519491231002X",
    "household.number": "3301020001",
    "household.address": "幸福村3组12号",
    "household.size": "4",
    "household.phone": "13912345678",
    "household.dibao": "农村低保",
    "place.name": "幸福超市",
    "place.credit_code": "91350100M000100Y43",
    "place.address": "幸福村商业街8号",
    "place.owner": "李红",
    "place.phone": "13700001111",
    "place.kind": "商超",
    "inspection.date": "2026-12-01",
    "inspection.hazard_type": "消防通道堵塞",
    "inspection.result": "限期整改",
    "inspection.rectified": "true",
    "inspection.deadline": "2026-12-15",
    "inspection.rectification": "已清理通道杂物",
    "inspection.notes": "已现场督促整改",
}
