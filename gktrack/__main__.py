from gktrack.cli import main

main()
