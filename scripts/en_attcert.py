"""English for the strings of the attendance-certificate work (issue 19: the course page
names the certificate once the course is complete)."""

T = {
    "Giấy chứng nhận số %(serial)s": "Certificate no. %(serial)s",
}
