"""raw -> canonical: text folding, amounts and units, 科目 codes, column keys, regions."""
