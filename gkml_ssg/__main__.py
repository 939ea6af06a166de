from gkml_ssg.cli.main import main

main()
