print("rectify")
