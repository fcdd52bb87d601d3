def test_curator_sees_own_staff_list(district, client_for):
    client = client_for(district.curator_a)
    response = client.get(f"/organizations/{district.school_a.pk}/staff/")
    assert response.status_code == 200
    assert "Ёлкина" in response.content.decode()
