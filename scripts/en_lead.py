T = {
    "Hệ thống": "System",
}
