console.log('version 2')
