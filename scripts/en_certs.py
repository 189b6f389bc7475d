"""English for the strings of the certificates work (issue 17: serials, PDF, credential)."""

T = {
    # item 2: serials name their unit
    "số hiệu cũ": "former serial",
    "bản đã cấp ghi số hiệu %(serial)s": "the copy issued shows serial %(serial)s",
    "Đơn vị cấp": "Issuing unit",
    # item 5: the PDF as an official document
    "ĐÃ THU HỒI": "REVOKED",
    "Ngày thu hồi: %(day)s": "Revoked on: %(day)s",
    "Dùng cho dòng “..., ngày ... tháng ... năm ...” của giấy chứng nhận. "
    "Để trống: theo đơn vị cấp trên.": "Used in the certificate's “..., day ... month ... year ...” "
    "line. Leave empty to use the parent unit's.",
    "Có giấy chứng nhận đã bị thu hồi sau khi tạo tệp ZIP này. "
    "Hãy tạo lại tệp để có bản đóng dấu thu hồi.": "A certificate was revoked after this ZIP "
    "file was made. Make the file again to get the copy stamped as revoked.",
    "Có giấy chứng nhận đã bị thu hồi sau khi tạo tệp ZIP này, nên tệp không còn được tải về.": "A certificate was revoked after this ZIP file was made, so the file can no longer "
    "be downloaded.",
    "Tạo lại tệp ZIP": "Make the ZIP file again",
    # item 9: Open Badges 3.0
    "Hồ sơ đơn vị cấp": "Issuer profile",
    "Open Badges (JSON-LD)": "Open Badges (JSON-LD)",
}
