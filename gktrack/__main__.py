from gktrack.cli.app import main

main()
