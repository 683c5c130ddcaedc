

def test_mostly_utf8_file_with_a_pasted_windows_874_row_is_read_as_utf8(tmp_path):
    from htwork.io import read_table

    lines = ["name,note"] + [f"Nguyễn Văn {i},ghi chú số {i}" for i in range(40)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    data += "สมชาย,ไทย\n".encode("cp874")
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    df = read_table(path)
    info = df.attrs["htwork"]
    assert info["encoding"] == "utf-8"
    assert df.loc[2, "name"] == "Nguyễn Văn 0"  # the UTF-8 rows are not garbled
    problems = info["read_problems"]
    assert [p["row"] for p in problems] == [len(lines) + 1]
    assert "874" in problems[0]["message"]
