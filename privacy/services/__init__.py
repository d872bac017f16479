"""The privacy app's services, one module per concern; views, the admin, commands and
tasks call them alike."""
